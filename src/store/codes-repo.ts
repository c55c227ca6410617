import type { Selectable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { OneTimeCodesTable } from './schema.js';

/** What a one-time code is for; a new code supersedes the user's earlier codes of the same purpose. */
export type CodePurpose = 'password_reset' | 'email_verification' | 'email_change';

export type CodeRow = Selectable<OneTimeCodesTable>;

/** A code as issued: not yet tried, verified or used. */
export type NewCodeRow = Omit<CodeRow, 'verified_at' | 'grant_hash' | 'consumed_at' | 'attempts'>;

/** Marks the account's pending one-time codes and reset grants used, as a consumed code is; returns how many. */
export async function voidPendingCodes(db: Db, userId: number, now: number): Promise<number> {
  const result = await db.updateTable('one_time_codes').set({ consumed_at: now }).where('user_id', '=', userId).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteUserCodes(db: Db, userId: number, purposes: readonly CodePurpose[]): Promise<void> {
  await db.deleteFrom('one_time_codes').where('user_id', '=', userId).where('purpose', 'in', purposes).execute();
}

export async function insertCode(db: Db, row: NewCodeRow): Promise<void> {
  await db.insertInto('one_time_codes').values({ ...row, attempts: 0, consumed_at: null, verified_at: null, grant_hash: null }).execute();
}

export async function findCodeById(db: Db, id: string, purposes: readonly CodePurpose[]): Promise<CodeRow | undefined> {
  return db.selectFrom('one_time_codes').selectAll().where('id', '=', id).where('purpose', 'in', purposes).executeTakeFirst();
}

export async function findCodeByTokenHash(db: Db, tokenHash: string, purposes: readonly CodePurpose[]): Promise<CodeRow | undefined> {
  return db.selectFrom('one_time_codes').selectAll().where('token_hash', '=', tokenHash).where('purpose', 'in', purposes).executeTakeFirst();
}

export async function findCodeByGrantHash(db: Db, grantHash: string): Promise<CodeRow | undefined> {
  return db.selectFrom('one_time_codes').selectAll().where('grant_hash', '=', grantHash).where('purpose', '=', 'password_reset').executeTakeFirst();
}

/** The newest code sent to an address, for "email + code" checks. */
export async function findLatestCodeByEmail(db: Db, emailKey: string, purposes: readonly CodePurpose[]): Promise<CodeRow | undefined> {
  return db
    .selectFrom('one_time_codes')
    .selectAll()
    .where('email_key', '=', emailKey)
    .where('purpose', 'in', purposes)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Takes one attempt atomically: concurrent guesses can never together exceed `max`.
 * Returns the attempt number, or undefined when the code is spent, burned or gone.
 */
export async function spendCodeAttempt(db: Db, id: string, max: number): Promise<number | undefined> {
  const row = await db
    .updateTable('one_time_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', max)
    .where('consumed_at', 'is', null)
    .where('verified_at', 'is', null)
    .returning('attempts')
    .executeTakeFirst();
  return row ? Number(row.attempts) : undefined;
}

/** Marks a reset code verified and records its grant; false when someone else got there first. */
export async function markCodeVerified(db: Db, id: string, at: number, grantHash: string): Promise<boolean> {
  const res = await db
    .updateTable('one_time_codes')
    .set({ verified_at: at, grant_hash: grantHash })
    .where('id', '=', id)
    .where('verified_at', 'is', null)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Uses a code up; false when it was already used (a concurrent request won). */
export async function consumeCode(db: Db, id: string, at: number): Promise<boolean> {
  const res = await db.updateTable('one_time_codes').set({ consumed_at: at }).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
