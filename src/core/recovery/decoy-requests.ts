import { findLatestResetDecoyByEmail, findResetDecoyById, replaceResetDecoy, spendDecoyAttempt as claimDecoyAttempt } from '../../store/reset-decoys-repo.js';
import { AuthError } from '../errors.js';
import { inTransaction } from '../transaction.js';
import { emailKey } from '../users/normalize.js';
import type { CodeCtx, RecoveryCtx } from './context.js';
import { requestRowId } from './issue-code.js';

/**
 * A reset asked for an address with no active account gets a decoy handle. Guesses against
 * it are counted and expire exactly like a real request's, so the answers to code checks
 * (invalid… then attempts exceeded, or expired) do not tell a real account from none.
 * Decoys are rows in the database (`reset_decoys`), as real requests are rows of
 * `one_time_codes`: they survive restarts and the cleanup job prunes both by the same rule.
 */
export interface Decoy {
  id: string;
  expiresAt: number;
  attempts: number;
  /** Stands in for the address in per-account rate limits, as a real row's `email_key` does. */
  accountKey: string;
}

export async function rememberDecoy(ctx: RecoveryCtx, requestId: string, email: string): Promise<void> {
  const ttl = ctx.settings.get('otp_ttl');
  const now = ctx.clock.now();
  const row = { id: requestRowId(requestId), email_key: emailKey(email), created_at: now, expires_at: now + ttl * 1000 };
  await inTransaction(ctx, (trx) => replaceResetDecoy(trx, row));
}

export async function findDecoy(ctx: Pick<CodeCtx, 'db'>, by: { requestId: string } | { email: string }): Promise<Decoy | undefined> {
  const row = 'requestId' in by ? await findResetDecoyById(ctx.db, requestRowId(by.requestId)) : await findLatestResetDecoyByEmail(ctx.db, emailKey(by.email));
  if (!row) return undefined;
  return { id: row.id, expiresAt: Number(row.expires_at), attempts: Number(row.attempts), accountKey: row.email_key };
}

/** Answers a guess against a decoy as `spendAttempt` answers a wrong guess against a real code. */
export async function spendDecoyAttempt(ctx: CodeCtx, decoy: Decoy): Promise<never> {
  const max = ctx.settings.get('otp_max_attempts');
  if (decoy.expiresAt <= ctx.clock.now()) throw new AuthError('otp_expired');
  if (decoy.attempts >= max) throw new AuthError('otp_attempts_exceeded');
  // Atomic, as spendCodeAttempt is for real codes: concurrent guesses never together exceed `max`.
  const attempt = await claimDecoyAttempt(ctx.db, decoy.id, max);
  if (attempt === undefined) {
    const fresh = await findResetDecoyById(ctx.db, decoy.id);
    throw new AuthError(fresh && Number(fresh.attempts) >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
  }
  throw new AuthError(attempt >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
}
