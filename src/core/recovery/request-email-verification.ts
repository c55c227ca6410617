import { recordAudit, type RequestMeta } from '../audit.js';
import { enforceRateLimit } from '../rate-limit.js';
import { inTransaction } from '../transaction.js';
import { emailKey } from '../users/normalize.js';
import type { User } from '../users/user.js';
import { findLatestCodeByEmail } from '../../store/codes-repo.js';
import { findUserByEmail, findUserById } from '../../store/users-repo.js';
import type { RateLimitCtx, RecoveryCtx } from './context.js';
import { requireEmail } from './email-input.js';
import { evenTiming } from './even-timing.js';
import { issueEmailVerification } from './issue-email-verification.js';

/** Who should get a fresh verification mail at `email`, and for what; undefined when no one. */
async function pendingVerification(core: Pick<RecoveryCtx, 'db'>, email: string): Promise<{ user: User; address: string; purpose: 'email_verification' | 'email_change' } | undefined> {
  const owner = await findUserByEmail(core.db, email);
  if (owner) return owner.is_active && !owner.email_verified ? { user: owner, address: owner.email, purpose: 'email_verification' } : undefined;
  // An address waiting to replace another account's address (PATCH /v1/me).
  const change = await findLatestCodeByEmail(core.db, emailKey(email), ['email_change']);
  const user = change && change.consumed_at === null ? await findUserById(core.db, change.user_id) : undefined;
  if (user?.is_active && user.pending_email && emailKey(user.pending_email) === emailKey(email)) return { user, address: user.pending_email, purpose: 'email_change' };
  return undefined;
}

/**
 * Sends the verification mail again (superseding the previous code). The answer is the same
 * whether or not the address belongs to anyone, or is already verified.
 */
export async function requestEmailVerification(core: RecoveryCtx & RateLimitCtx, input: { email: string }, meta: RequestMeta): Promise<void> {
  await enforceRateLimit(core, 'resend_ip', meta.ip);
  const email = requireEmail(input.email);
  await enforceRateLimit(core, 'resend_account', emailKey(email));
  const timing = evenTiming(core, 'email_verification');
  const started = timing.start();
  const target = await pendingVerification(core, email);
  const now = core.clock.now();
  await inTransaction(core, async (trx) => {
    if (target) await issueEmailVerification(core, trx, target.user, target.address, target.purpose, meta);
    // Audited either way, so both paths cost a transaction and probes leave a trace.
    else await recordAudit(trx, { kind: 'email.verification_sent', at: now, ip: meta.ip, userAgent: meta.userAgent, detail: { outcome: 'not_sent', email: email.slice(0, 254) } });
  });
  await timing.finish(started, target !== undefined);
}
