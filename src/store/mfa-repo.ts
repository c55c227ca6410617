import type { Db } from './dialect/index.js';
import type { MfaTokensTable, TotpFactorsTable } from './schema.js';

/**
 * An account's authenticator app (totp_factors), its recovery codes and the mfa_tokens of logins
 * waiting for a second factor (migration 013): the only code that queries those tables. Every
 * single-use check is one conditional UPDATE, so parallel presentations get exactly one success.
 */

export type TotpRow = Pick<TotpFactorsTable, 'secret_enc' | 'confirmed_at' | 'last_step' | 'created_at'>;

/** The account's TOTP row, confirmed or not (primary-key lookup). */
export async function findTotp(db: Db, userId: number): Promise<TotpRow | undefined> {
  const row = await db.selectFrom('totp_factors').select(['secret_enc', 'confirmed_at', 'last_step', 'created_at']).where('user_id', '=', userId).executeTakeFirst();
  return row && { ...row, confirmed_at: row.confirmed_at === null ? null : Number(row.confirmed_at), last_step: Number(row.last_step), created_at: Number(row.created_at) };
}

/**
 * Stores a new, unconfirmed secret for the account, replacing an unconfirmed one; a confirmed
 * secret is never replaced. Returns false when the account already has a confirmed one.
 */
export async function savePendingTotp(db: Db, userId: number, secretEnc: string, now: number): Promise<boolean> {
  const res = await db
    .insertInto('totp_factors')
    .values({ user_id: userId, secret_enc: secretEnc, confirmed_at: null, last_step: -1, created_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_enc: secretEnc, last_step: -1, created_at: now }).where('totp_factors.confirmed_at', 'is', null))
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Confirms the pending secret with the step of the code that proved it (that step is spent). False: nothing pending, or it was confirmed meanwhile. */
export async function confirmTotp(db: Db, userId: number, step: number, now: number): Promise<boolean> {
  const res = await db.updateTable('totp_factors').set({ confirmed_at: now, last_step: step }).where('user_id', '=', userId).where('confirmed_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Spends a time step of the confirmed secret: true only if it is later than every step used before (one UPDATE, so a replay race has one winner). */
export async function spendTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const res = await db.updateTable('totp_factors').set({ last_step: step }).where('user_id', '=', userId).where('confirmed_at', 'is not', null).where('last_step', '<', step).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The account has a confirmed authenticator app. */
export async function hasConfirmedTotp(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('totp_factors').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  return row !== undefined;
}

/** Deletes the account's TOTP secret and all its recovery codes, in the caller's transaction (the operator's reset calls this too). */
export async function deleteUserTotpFactors(trx: Db, userId: number): Promise<{ totpRemoved: boolean; recoveryCodesRemoved: number }> {
  const totp = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
  await trx.deleteFrom('totp_factors').where('user_id', '=', userId).execute();
  const codes = await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  return { totpRemoved: Number(totp.numDeletedRows) > 0, recoveryCodesRemoved: Number(codes.numDeletedRows) };
}

/** Replaces the account's whole set of recovery codes (by their HMACs), in the caller's transaction. */
export async function replaceRecoveryCodes(trx: Db, userId: number, codeHashes: readonly string[], now: number): Promise<void> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (codeHashes.length) await trx.insertInto('recovery_codes').values(codeHashes.map((code_hash) => ({ code_hash, user_id: userId, created_at: now, used_at: null }))).execute();
}

/** Marks the account's unused recovery code with this HMAC used: true for exactly one of any number of parallel presentations. */
export async function spendRecoveryCode(db: Db, userId: number, codeHash: string, now: number): Promise<boolean> {
  const res = await db.updateTable('recovery_codes').set({ used_at: now }).where('code_hash', '=', codeHash).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** How many unused recovery codes the account has (by recovery_codes_user; at most ten rows). */
export async function recoveryCodesLeft(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What the account's second factors look like to an operator: when TOTP was confirmed, and unused recovery codes. */
export async function totpStanding(db: Db, userId: number): Promise<{ enrolledAt: number | null; recoveryCodesLeft: number }> {
  const totp = await findTotp(db, userId);
  return { enrolledAt: totp?.confirmed_at ?? null, recoveryCodesLeft: await recoveryCodesLeft(db, userId) };
}

export type MfaTokenRow = Pick<MfaTokensTable, 'user_id' | 'device_token_id' | 'device_token_enc' | 'factors' | 'attempts' | 'expires_at'>;

export async function insertMfaToken(db: Db, row: Omit<MfaTokensTable, 'attempts' | 'used_at'>): Promise<void> {
  await db.insertInto('mfa_tokens').values({ ...row, attempts: 0, used_at: null }).execute();
}

const tokenColumns = ['user_id', 'device_token_id', 'device_token_enc', 'factors', 'attempts', 'expires_at'] as const;
const asTokenRow = (r: MfaTokenRow): MfaTokenRow => ({ ...r, user_id: Number(r.user_id), attempts: Number(r.attempts), expires_at: Number(r.expires_at) });

/** The mfa_token with this digest while it can still be redeemed: unused, unexpired, attempts left. */
export async function findLiveMfaToken(db: Db, tokenHash: string, now: number, maxAttempts: number): Promise<MfaTokenRow | undefined> {
  const row = await db
    .selectFrom('mfa_tokens')
    .select(tokenColumns)
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  return row && asTokenRow(row);
}

/** Counts a wrong factor against a live token; returns the attempts now spent (undefined: the token was no longer live). */
export async function countMfaTokenAttempt(db: Db, tokenHash: string, now: number, maxAttempts: number): Promise<number | undefined> {
  const row = await db
    .updateTable('mfa_tokens')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning('attempts')
    .executeTakeFirst();
  return row && Number(row.attempts);
}

/** Marks a live token used: returns its row for exactly one of any number of parallel redemptions. */
export async function consumeMfaToken(db: Db, tokenHash: string, now: number, maxAttempts: number): Promise<MfaTokenRow | undefined> {
  const row = await db
    .updateTable('mfa_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning(tokenColumns)
    .executeTakeFirst();
  return row && asTokenRow(row);
}
