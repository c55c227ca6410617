import type { Db } from './dialect/index.js';

/** Marks the account's pending one-time codes and reset grants used, as a consumed code is; returns how many. */
export async function voidPendingCodes(db: Db, userId: number, now: number): Promise<number> {
  const result = await db.updateTable('one_time_codes').set({ consumed_at: now }).where('user_id', '=', userId).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
