import type { Db } from './dialect/index.js';

/** Deletes every device token of the account: those clients no longer skip its lock. */
export async function deleteUserDeviceTokens(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('device_tokens').where('user_id', '=', userId).execute();
}
