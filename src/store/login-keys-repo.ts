import { sql } from 'kysely';
import type { Db } from './dialect/index.js';

/**
 * Deletes the account's login keys named `name` beyond the `keep` most recently used (at most
 * 1000 a call) and returns their digests, for the caches to forget. Login keys are API-token rows.
 */
export async function pruneLoginKeys(db: Db, userId: number, name: string, keep: number): Promise<string[]> {
  const stale = await db
    .selectFrom('api_tokens')
    .select(['id', 'token_hash'])
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .orderBy(sql`coalesce(last_used_at, created_at)`, 'desc')
    .orderBy('id')
    .limit(1000)
    .offset(Math.max(0, keep))
    .execute();
  if (stale.length) await db.deleteFrom('api_tokens').where('id', 'in', stale.map((t) => t.id)).execute();
  return stale.map((t) => t.token_hash);
}
