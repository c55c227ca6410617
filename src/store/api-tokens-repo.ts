import type { Db } from './dialect/index.js';

/** Deletes the account's API tokens (all but `exceptId`) and returns their digests, for the caches to forget. */
export async function deleteUserApiTokens(db: Db, userId: number, exceptId?: string): Promise<string[]> {
  let q = db.deleteFrom('api_tokens').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const deleted = await q.returning(['token_hash']).execute();
  return deleted.map((t) => t.token_hash);
}
