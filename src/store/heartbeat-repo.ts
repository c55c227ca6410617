import { sql } from 'kysely';
import type { Db } from './dialect/index.js';

/** A read that touches no table: throws when the database does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Rewrites this instance's heartbeat row: a real write, so a read-only or full database shows. */
export async function recordHeartbeat(db: Db, instance: string, at: number): Promise<void> {
  await db.insertInto('heartbeats').values({ instance, seen_at: at })
    .onConflict((oc) => oc.column('instance').doUpdateSet({ seen_at: at }))
    .execute();
}

/** Forgets instances not seen since `before` (restarted processes leave their row behind). */
export async function pruneHeartbeats(db: Db, before: number): Promise<void> {
  await db.deleteFrom('heartbeats').where('seen_at', '<', before).execute();
}
