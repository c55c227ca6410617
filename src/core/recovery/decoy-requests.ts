import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { emailKey } from '../users/normalize.js';
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

export async function rememberDecoy(core: Core, requestId: string, email: string): Promise<void> {
  const ttl = core.settings.get('otp_ttl');
  const id = requestRowId(requestId);
  const key = emailKey(email);
  const now = core.clock.now();
  await core.db.transaction().execute(async (trx) => {
    // The newest decoy for an address supersedes older ones, as a new real request deletes older codes.
    await trx.deleteFrom('reset_decoys').where('email_key', '=', key).execute();
    await trx.insertInto('reset_decoys').values({ id, email_key: key, attempts: 0, created_at: now, expires_at: now + ttl * 1000 }).execute();
  });
}

export async function findDecoy(core: Core, by: { requestId: string } | { email: string }): Promise<Decoy | undefined> {
  const query = core.db.selectFrom('reset_decoys').selectAll();
  const row = await ('requestId' in by
    ? query.where('id', '=', requestRowId(by.requestId))
    : query.where('email_key', '=', emailKey(by.email)).orderBy('created_at', 'desc').orderBy('id')
  ).limit(1).executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, expiresAt: Number(row.expires_at), attempts: Number(row.attempts), accountKey: row.email_key };
}

/** Answers a guess against a decoy as `spendAttempt` answers a wrong guess against a real code. */
export async function spendDecoyAttempt(core: Core, decoy: Decoy): Promise<never> {
  const max = core.settings.get('otp_max_attempts');
  if (decoy.expiresAt <= core.clock.now()) throw new AuthError('otp_expired');
  if (decoy.attempts >= max) throw new AuthError('otp_attempts_exceeded');
  // Atomic, as claimAttempt is for real codes: concurrent guesses never together exceed `max`.
  const claimed = await core.db
    .updateTable('reset_decoys')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', decoy.id)
    .where('attempts', '<', max)
    .returning('attempts')
    .executeTakeFirst();
  if (!claimed) {
    const fresh = await findDecoy(core, { requestId: decoy.id });
    throw new AuthError(fresh && fresh.attempts >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
  }
  throw new AuthError(Number(claimed.attempts) >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
}
