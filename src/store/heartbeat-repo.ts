import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rewrites this instance's heartbeat row: a real write, so a read-only or full database shows. */
export async function recordHeartbeat(db: Kysely<Database>, instance: string, at: number): Promise<void> {
  await db.insertInto('heartbeats').values({ instance, seen_at: at })
    .onConflict((oc) => oc.column('instance').doUpdateSet({ seen_at: at }))
    .execute();
}

/** Forgets instances not seen since `before` (restarted processes leave their row behind). */
export async function pruneHeartbeats(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom('heartbeats').where('seen_at', '<', before).execute();
}
