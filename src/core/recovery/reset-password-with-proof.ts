import type { RequestMeta } from '../audit.js';
import { setPassword } from '../account.js';
import { AuthError, fieldError } from '../errors.js';
import { enforceRateLimit } from '../rate-limit.js';
import { tokenDigest } from '../secrets.js';
import { emailKey } from '../users/normalize.js';
import { consumeCode, findCodeByGrantHash, findCodeById, findCodeByTokenHash, type CodeRow } from '../../store/codes-repo.js';
import { findUserById, updateUser } from '../../store/users-repo.js';
import type { CodeCtx, RateLimitCtx } from './context.js';
import { requestRowId } from './issue-code.js';

export interface ResetProof {
  /** From verifyPasswordResetCode. */
  grant?: string;
  /** The token in the mailed link. */
  linkToken?: string;
  /** A request handle whose code has been verified (seed 002 sends the same token to both steps). */
  requestId?: string;
}

/** The reset request a proof names, when it still allows a reset now. */
async function resolveProof(core: Pick<CodeCtx, 'db' | 'clock' | 'settings'>, proof: ResetProof): Promise<CodeRow | undefined> {
  const now = core.clock.now();
  const grantMs = core.settings.get('otp_ttl') * 1000;
  const present = (v: unknown): v is string => typeof v === 'string' && v !== '';
  let row: CodeRow | undefined;
  let viaCode: boolean;
  if (present(proof.grant)) [row, viaCode] = [await findCodeByGrantHash(core.db, tokenDigest(proof.grant)), true];
  else if (present(proof.linkToken)) [row, viaCode] = [await findCodeByTokenHash(core.db, tokenDigest(proof.linkToken), ['password_reset']), false];
  else if (present(proof.requestId)) [row, viaCode] = [await findCodeById(core.db, requestRowId(proof.requestId), ['password_reset']), true];
  else throw fieldError({ non_field_errors: ['Provide the reset token from the mail or the grant from the code check.'] });
  if (!row || row.consumed_at !== null) return undefined;
  // The link proves the mailbox by itself; the handle and grant only once the code was entered.
  if (viaCode) return row.verified_at !== null && row.verified_at + grantMs > now ? row : undefined;
  return row.expires_at > now ? row : undefined;
}

/**
 * Sets a new password with a mailed link token, a grant, or a verified request handle. The
 * request is used up in the same transaction as the password, every session ends, the change
 * is audited and a notice mailed; a lock from failed logins is cleared, and since the mail
 * reached the address, an unverified address becomes verified.
 */
export async function resetPasswordWithProof(core: CodeCtx & RateLimitCtx & Parameters<typeof setPassword>[0], input: ResetProof & { newPassword: string }, meta: RequestMeta): Promise<void> {
  await enforceRateLimit(core, 'otp_ip', meta.ip);
  if (typeof input.newPassword !== 'string' || input.newPassword === '') throw fieldError({ new_password: ['This field is required.'] });
  const row = await resolveProof(core, input);
  const user = row ? await findUserById(core.db, row.user_id) : undefined;
  if (!row || !user || !user.is_active) throw new AuthError('reset_token_invalid');
  const now = core.clock.now();
  await setPassword(core, user, input.newPassword, meta, {
    field: 'new_password',
    actorId: user.id,
    kind: 'password.reset',
    within: async (trx) => {
      if (!(await consumeCode(trx, row.id, now))) throw new AuthError('reset_token_invalid');
      if (!user.email_verified && row.email_key === emailKey(user.email)) await updateUser(trx, user.id, { email_verified: 1 });
    },
  });
}
