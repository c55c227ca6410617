import type { RequestMeta } from '../audit.js';
import { AuthError, fieldError } from '../errors.js';
import { enforceRateLimit } from '../rate-limit.js';
import { randomToken, tokenDigest } from '../secrets.js';
import { emailKey } from '../users/normalize.js';
import { findCodeById, findLatestCodeByEmail, markCodeVerified } from '../../store/codes-repo.js';
import type { CodeCtx, RateLimitCtx } from './context.js';
import { findDecoy, spendDecoyAttempt } from './decoy-requests.js';
import { requireEmail, requireText } from './email-input.js';
import { evenTiming } from './even-timing.js';
import { requestRowId } from './issue-code.js';
import { spendAttempt } from './spend-attempt.js';

export interface ResetGrant {
  /** Single-use proof that the mailed code was entered; stored only as a hash. */
  grant: string;
  expiresIn: number;
}

/**
 * Checks a reset code, named by its request handle or by the address it was sent to. Success
 * spends the code, marks the request verified and returns a grant that lives `otp_ttl` seconds.
 */
export async function verifyPasswordResetCode(core: CodeCtx & RateLimitCtx, input: { requestId?: string; email?: string; otp: string }, meta: RequestMeta): Promise<ResetGrant> {
  await enforceRateLimit(core, 'otp_ip', meta.ip);
  const otp = requireText(input.otp, 'otp');
  let by: { requestId: string } | { email: string };
  if (typeof input.requestId === 'string' && input.requestId !== '') by = { requestId: input.requestId };
  else if (input.email !== undefined && input.email !== '') by = { email: requireEmail(input.email) };
  else throw fieldError({ non_field_errors: ['Provide the reset request id or the email address.'] });

  // A real request writes on every guess, a decoy does not: even out the difference.
  const timing = evenTiming(core, 'reset_code_check');
  const started = timing.start();
  let real = false;
  try {
    const row = 'requestId' in by
      ? await findCodeById(core.db, requestRowId(by.requestId), ['password_reset'])
      : await findLatestCodeByEmail(core.db, emailKey(by.email), ['password_reset']);
    if (!row) {
      const decoy = await findDecoy(core, by);
      if (!decoy) throw new AuthError('otp_invalid', undefined, undefined, { requestNotFound: true });
      await enforceRateLimit(core, 'otp_account', decoy.accountKey);
      return await spendDecoyAttempt(core, decoy);
    }
    real = true;
    // Across requests too: new requests must not buy an attacker unlimited guesses at one account.
    await enforceRateLimit(core, 'otp_account', row.email_key ?? String(row.user_id));
    // Checked already: no request left to check (a fact seed 002's "The OTP is not found" words).
    if (row.verified_at !== null) throw new AuthError('otp_invalid', undefined, undefined, { requestNotFound: true });
    await spendAttempt(core, row, otp);
    const grant = randomToken(32);
    if (!(await markCodeVerified(core.db, row.id, core.clock.now(), tokenDigest(grant)))) throw new AuthError('otp_invalid');
    return { grant, expiresIn: core.settings.get('otp_ttl') };
  } finally {
    await timing.finish(started, real);
  }
}
