import { recordAudit, type RequestMeta } from '../audit.js';
import { enforceRateLimit } from '../rate-limit.js';
import { randomToken } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { emailKey } from '../users/normalize.js';
import { displayName } from '../users/user.js';
import { findUserByEmail } from '../../store/users-repo.js';
import type { RateLimitCtx, RecoveryCtx } from './context.js';
import { rememberDecoy } from './decoy-requests.js';
import { evenTiming } from './even-timing.js';
import { requireEmail } from './email-input.js';
import { issueCode } from './issue-code.js';
import { mailLocale } from '../locales.js';

export interface PasswordResetOptions {
  /** Digits of the mailed code when the client's API fixes them (a seed's 5 input cells); default: `otp_length`. */
  codeDigits?: number;
}

/**
 * Starts a password reset. Every well-formed address gets the same kind of answer in about
 * the same time (see EvenTiming): an active account gets a mailed code and link, any other address a decoy
 * handle, no row and no mail. Both paths write one audit row in one transaction.
 */
export async function requestPasswordReset(core: RecoveryCtx & RateLimitCtx, input: { email: string }, meta: RequestMeta, options: PasswordResetOptions = {}): Promise<{ requestId: string }> {
  await enforceRateLimit(core, 'reset_ip', meta.ip);
  const email = requireEmail(input.email);
  // Per address too, so no one floods a mailbox from many IPs; unknown addresses count alike.
  await enforceRateLimit(core, 'reset_account', emailKey(email));
  const timing = evenTiming(core, 'password_reset');
  const started = timing.start();
  const user = await findUserByEmail(core.db, email);
  const now = core.clock.now();
  if (!user || !user.is_active) {
    const requestId = randomToken(32);
    await inTransaction(core, async (trx) => {
      await recordAudit(trx, { kind: 'password.reset_requested', at: now, userId: user?.id ?? null, ip: meta.ip, userAgent: meta.userAgent, detail: { outcome: user ? 'account_inactive' : 'unknown_email', email: email.slice(0, 254) } });
    });
    await rememberDecoy(core, requestId, email);
    await timing.finish(started, false);
    return { requestId };
  }
  const issued = await inTransaction(core, async (trx) => {
    const issued = await issueCode(core, trx, { purpose: 'password_reset', userId: user.id, email: user.email, digits: options.codeDigits });
    await recordAudit(trx, { kind: 'password.reset_requested', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { outcome: 'mailed' } });
    await core.mailer.enqueue(trx, { kind: 'password_reset', to: user.email, data: { name: displayName(user), code: issued.code, token: issued.linkToken, minutes: issued.minutes }, locale: mailLocale(user) });
    return issued;
  });
  await timing.finish(started, true);
  return { requestId: issued.requestId };
}
