import { dialectOf, type Db, type DialectName } from './dialect/index.js';

/** Which backend `db` talks to, for the System page (nothing branches on it). */
export function databaseDialect(db: Db): DialectName {
  return dialectOf(db).name;
}

/**
 * Heartbeat-table reads for the console's System page, and the cleanup job's run marker. The marker is a row of
 * the heartbeat table (instance ids are `host:pid:nonce`, so `job:cleanup` never collides): the
 * job runs on one instance at a time, and a row every instance reads says when it last ran anywhere.
 */
const cleanupMarker = 'job:cleanup';

/** Marks a finished cleanup pass (the instance that held the lock writes it). */
export async function recordCleanupRun(db: Db, at: number): Promise<void> {
  await db.insertInto('heartbeats').values({ instance: cleanupMarker, seen_at: at })
    .onConflict((oc) => oc.column('instance').doUpdateSet({ seen_at: at }))
    .execute();
}

/** When a cleanup pass last finished on any instance (kept while /readyz prunes at 24 h); null if none is recorded. */
export async function lastCleanupRun(db: Db): Promise<number | null> {
  const row = await db.selectFrom('heartbeats').select('seen_at').where('instance', '=', cleanupMarker).executeTakeFirst();
  return row ? Number(row.seen_at) : null;
}

/** Instances whose readiness probe wrote a heartbeat at or after `since`, most recent first. The table holds one row per instance of the last day. */
export async function instancesSeenSince(db: Db, since: number): Promise<{ instance: string; seen_at: number }[]> {
  const rows = await db.selectFrom('heartbeats').select(['instance', 'seen_at'])
    .where('seen_at', '>=', since).where('instance', '!=', cleanupMarker)
    .orderBy('seen_at', 'desc').limit(100).execute();
  return rows.map((r) => ({ instance: r.instance, seen_at: Number(r.seen_at) }));
}
