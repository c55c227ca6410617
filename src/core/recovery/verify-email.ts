import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, fieldError } from '../errors.js';
import { enforceRateLimit } from '../rate-limit.js';
import { emailTakenMessage } from '../register.js';
import { tokenDigest } from '../secrets.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { emailKey } from '../users/normalize.js';
import type { User } from '../users/user.js';
import { consumeCode, deleteUserCodes, findCodeByTokenHash, findLatestCodeByEmail, type CodeRow } from '../../store/codes-repo.js';
import { emailTaken, findUserById, updateUser } from '../../store/users-repo.js';
import { takenField } from '../users/taken.js';
import type { CodeCtx, RateLimitCtx, RecoveryCtx } from './context.js';
import { requireEmail, requireText } from './email-input.js';
import { spendAttempt } from './spend-attempt.js';

const purposes = ['email_verification', 'email_change'] as const;

type Outcome = { user: User } | { taken: true };

/**
 * Confirms an address with the mailed link token, or with the address and its code. The
 * account's own address becomes verified; an address waiting to replace it (a profile change)
 * replaces it now, unless another account took it meanwhile.
 */
export async function verifyEmail(core: CodeCtx & Pick<RecoveryCtx, 'log'> & Pick<Core, 'users'> & RateLimitCtx, input: { token?: string; email?: string; code?: string }, meta: RequestMeta): Promise<User> {
  await enforceRateLimit(core, 'otp_ip', meta.ip);
  let row: CodeRow | undefined;
  let invalid: 'verification_token_invalid' | 'otp_invalid';
  if (typeof input.token === 'string' && input.token !== '') {
    invalid = 'verification_token_invalid';
    row = await findCodeByTokenHash(core.db, tokenDigest(input.token), purposes);
    if (!row || row.consumed_at !== null || row.expires_at <= core.clock.now()) throw new AuthError(invalid);
  } else if (input.email !== undefined && input.email !== '') {
    invalid = 'otp_invalid';
    const email = requireEmail(input.email);
    const code = requireText(input.code, 'code');
    row = await findLatestCodeByEmail(core.db, emailKey(email), purposes);
    if (!row) throw new AuthError(invalid);
    await enforceRateLimit(core, 'otp_account', emailKey(email));
    await spendAttempt(core, row, code);
  } else throw fieldError({ non_field_errors: ['Provide the token from the mail, or the email address and its code.'] });

  const found = row;
  const now = core.clock.now();
  let outcome: Outcome | undefined;
  try {
    outcome = await inTransaction(core, async (trx): Promise<Outcome | undefined> => {
      if (!(await consumeCode(trx, found.id, now))) return undefined;
      await afterCommit(core, trx, () => core.users.invalidate(found.user_id));
      const user = await findUserById(trx, found.user_id);
      if (!user || !user.is_active) return undefined;
      let patch: Parameters<typeof updateUser>[2];
      if (found.purpose === 'email_verification') {
        // The account's address changed since the mail was sent: the code proves nothing now.
        if (emailKey(user.email) !== found.email_key) return undefined;
        patch = { email_verified: 1 };
      } else {
        if (!user.pending_email || emailKey(user.pending_email) !== found.email_key) return undefined;
        if (await emailTaken(trx, found.email, user.id)) {
          await updateUser(trx, user.id, { pending_email: null, updated_at: now });
          await recordAudit(trx, { kind: 'email.verified', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { purpose: found.purpose, outcome: 'address_taken' } });
          return { taken: true };
        }
        patch = { email: found.email, email_key: found.email_key, email_verified: 1, pending_email: null };
        // Reset mail went to the old address; it must not outlive the change.
        await deleteUserCodes(trx, user.id, ['password_reset']);
      }
      const updated = await updateUser(trx, user.id, { ...patch, updated_at: now });
      await recordAudit(trx, { kind: 'email.verified', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { purpose: found.purpose } });
      return updated ? { user: updated } : undefined;
    });
  } catch (err) {
    // Lost a race with a sign-up or change to the same address.
    if (takenField(core.db, err) !== 'email') throw err;
    outcome = { taken: true };
  }
  if (!outcome) throw new AuthError(invalid);
  if ('taken' in outcome) throw new AuthError('conflict', 'Another account now uses this email address; choose another.', { email: [emailTakenMessage] });
  return outcome.user;
}
