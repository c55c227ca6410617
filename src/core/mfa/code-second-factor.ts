import type { RequestMeta } from '../audit.js';
import type { LoginSuccess } from '../login/verdict.js';
import { redeemMfaToken, type MfaTokenCtx } from './mfa-token.js';
import { useRecoveryCode, type RecoveryCodesCtx } from './recovery-codes.js';
import { unspentTotpStep } from './totp.js';
import { spendTotpStep } from '../../store/mfa-repo.js';

/** A factor typed at the second step: the authenticator app's digits or a recovery code. */
export type TypedFactor = 'totp' | 'recovery_code';

/**
 * Redeems the login's `mfaToken` with a typed code (redeemMfaToken: attempts, lock, audit, single
 * use); the one place the native, console and OIDC second steps check a code. A TOTP code's step is
 * spent in the transaction that consumes the token (one commit; a lost race spends neither).
 */
export function redeemWithCode(ctx: MfaTokenCtx & RecoveryCodesCtx, mfaToken: string, factor: TypedFactor, code: string, meta: RequestMeta): Promise<LoginSuccess> {
  return factor === 'totp'
    ? redeemMfaToken(ctx, mfaToken, 'totp', async (userId) => {
      const step = await unspentTotpStep(ctx, userId, code);
      return step !== undefined && { amr: [], spend: (trx) => spendTotpStep(trx, userId, step) };
    }, meta)
    : redeemMfaToken(ctx, mfaToken, 'recovery_code', (userId) => useRecoveryCode(ctx, userId, code, meta), meta);
}
