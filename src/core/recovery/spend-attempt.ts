import { findCodeById, spendCodeAttempt, type CodePurpose, type CodeRow } from '../../store/codes-repo.js';
import { AuthError } from '../errors.js';
import { constantTimeEqual } from '../secrets.js';
import { codeDigest } from './code-digest.js';
import type { CodeCtx } from './context.js';

/**
 * Checks `otp` against a stored code, spending one of its attempts first, so even the right
 * code fails once the attempts are used up. Throws `otp_invalid`, `otp_expired` or
 * `otp_attempts_exceeded`; returns only when the code is right.
 */
export async function spendAttempt(ctx: CodeCtx, row: CodeRow, otp: string): Promise<void> {
  const max = ctx.settings.get('otp_max_attempts');
  const state = stateOf(ctx, row, max);
  if (state) throw new AuthError(state);
  const attempt = await spendCodeAttempt(ctx.db, row.id, max);
  if (attempt === undefined) {
    // Another request spent, verified or used it between our read and our claim.
    const fresh = await findCodeById(ctx.db, row.id, [row.purpose as CodePurpose]);
    throw new AuthError((fresh && stateOf(ctx, fresh, max)) || 'otp_invalid');
  }
  if (constantTimeEqual(codeDigest(ctx, row.id, otp), row.code_hash)) return;
  throw new AuthError(attempt >= max ? 'otp_attempts_exceeded' : 'otp_invalid');
}

/** Why a code can no longer be tried, or undefined when it can. */
function stateOf(ctx: Pick<CodeCtx, 'clock'>, row: CodeRow, max: number): 'otp_invalid' | 'otp_expired' | 'otp_attempts_exceeded' | undefined {
  if (row.consumed_at !== null || row.verified_at !== null) return 'otp_invalid';
  if (row.expires_at <= ctx.clock.now()) return 'otp_expired';
  if (row.attempts >= max) return 'otp_attempts_exceeded';
  return undefined;
}
