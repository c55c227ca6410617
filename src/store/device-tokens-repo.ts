import type { Insertable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { DeviceTokensTable } from './schema.js';

export type NewDeviceToken = Insertable<DeviceTokensTable>;

/** The unexpired device token with this digest bound to this account, or undefined. */
export async function findDeviceToken(db: Db, tokenHash: string, userId: number, now: number): Promise<{ id: string; userId: number } | undefined> {
  const row = await db
    .selectFrom('device_tokens')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { id: row.id, userId: Number(row.user_id) };
}

/** A login succeeded with this token: marked used and its failures forgiven. */
export async function touchDeviceToken(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('device_tokens').set({ last_used_at: now, failures: 0 }).where('id', '=', id).execute();
}

/**
 * Stores a new token and drops the account's others beyond its `keep - 1` newest unexpired ones
 * (so the account holds at most `keep`, this one included; expired ones go too).
 */
export async function issueDeviceToken(db: Db, token: NewDeviceToken, keep: number): Promise<void> {
  await db.insertInto('device_tokens').values(token).execute();
  // Usually there is nothing to drop (fewer than `keep` others, none expired): one indexed read of at
  // most `keep` rows says so, instead of the DELETE below, which costs SQLite ~8x as much even when
  // it deletes nothing (issue 13's TOTP-login profile).
  const others = await db.selectFrom('device_tokens').select('expires_at').where('user_id', '=', token.user_id).where('id', '!=', token.id).orderBy('created_at', 'desc').limit(keep).execute();
  if (others.length < keep && others.every((row) => Number(row.expires_at) > token.created_at)) return;
  const newest = db
    .selectFrom('device_tokens')
    .select('id')
    .where('user_id', '=', token.user_id)
    .where('id', '!=', token.id)
    .where('expires_at', '>', token.created_at)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(keep - 1);
  await db.deleteFrom('device_tokens').where('user_id', '=', token.user_id).where('id', '!=', token.id).where('id', 'not in', newest).execute();
}

/** Counts one wrong password against the token; returns its failures since, or undefined when it is gone. */
export async function countDeviceTokenFailure(db: Db, id: string): Promise<number | undefined> {
  const row = await db
    .updateTable('device_tokens')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', id)
    .returning('failures')
    .executeTakeFirst();
  return row ? Number(row.failures) : undefined;
}

export async function deleteDeviceToken(db: Db, id: string): Promise<void> {
  await db.deleteFrom('device_tokens').where('id', '=', id).execute();
}

/** Deletes every device token of the account: those clients no longer skip its lock. */
export async function deleteUserDeviceTokens(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('device_tokens').where('user_id', '=', userId).execute();
}
