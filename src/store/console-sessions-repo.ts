import type { Db } from './dialect/index.js';

/** Deletes every console session of the account; returns how many. */
export async function deleteUserConsoleSessions(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom('console_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
