import type { Db } from './dialect/index.js';

/** A revoked session as the feed reads it. */
export interface RevokedSessionRow {
  id: string;
  revoked_at: number;
  expires_at: number;
}

/**
 * Revoked sessions after the position (revoked_at, id), in that order, revoked after
 * `revokedAfter` and not yet expired at `now`: a range scan of sessions_revoked_feed (migration 012).
 */
export async function revokedSessionsAfter(db: Db, from: { at: number; id: string }, revokedAfter: number, now: number, limit: number): Promise<RevokedSessionRow[]> {
  // The lower bound folds into the position so the scan starts at the window, whatever the cursor
  // (times are whole ms and ids never empty: (t + 1, '') is just past every row revoked at t).
  const start = from.at > revokedAfter ? from : { at: revokedAfter + 1, id: '' };
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'revoked_at', 'expires_at'])
    .where((eb) => eb(eb.refTuple('revoked_at', 'id'), '>', eb.tuple(start.at, start.id)))
    .where('revoked_at', 'is not', null)
    .where('expires_at', '>', now)
    .orderBy('revoked_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, revoked_at: Number(r.revoked_at), expires_at: Number(r.expires_at) }));
}

/** These sessions' revocation times (primary-key reads), for the ones that are revoked. */
export async function revokedSessionsById(db: Db, ids: string[]): Promise<RevokedSessionRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('sessions').select(['id', 'revoked_at', 'expires_at']).where('id', 'in', ids).where('revoked_at', 'is not', null).execute();
  return rows.map((r) => ({ id: r.id, revoked_at: Number(r.revoked_at), expires_at: Number(r.expires_at) }));
}
