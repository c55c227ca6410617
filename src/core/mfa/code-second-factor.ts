import type { RequestMeta } from '../audit.js';
import type { LoginTransaction } from '../login/establish-session.js';
import type { LoginSuccess } from '../login/verdict.js';
import { redeemedAlone, redeemMfaTokenInto, type MfaTokenCtx } from './mfa-token.js';
import { useRecoveryCode, type RecoveryCodesCtx } from './recovery-codes.js';
import { unspentTotpStep } from './totp.js';
import { spendTotpStep } from '../../store/mfa-repo.js';

/** A factor typed at the second step: the authenticator app's digits or a recovery code. */
export type TypedFactor = 'totp' | 'recovery_code';

/**
 * Redeems the login's `mfaToken` with a typed code (redeemMfaToken: attempts, lock, audit, single
 * use); the one place the native, console and OIDC second steps check a code. `finish` opens the
 * login in the redemption's transaction (establishSession with the LoginTransaction it is handed):
 * a TOTP code's step, the token's consumption and the session are one commit; a lost race spends none.
 */
export function redeemWithCodeInto<T>(ctx: MfaTokenCtx & RecoveryCodesCtx, mfaToken: string, factor: TypedFactor, code: string, meta: RequestMeta, finish: (success: LoginSuccess, transaction: LoginTransaction) => Promise<T>): Promise<T> {
  return factor === 'totp'
    ? redeemMfaTokenInto(ctx, mfaToken, 'totp', async (userId) => {
      const step = await unspentTotpStep(ctx, userId, code);
      return step !== undefined && { amr: [], spend: (trx) => spendTotpStep(trx, userId, step) };
    }, meta, finish)
    : redeemMfaTokenInto(ctx, mfaToken, 'recovery_code', (userId) => useRecoveryCode(ctx, userId, code, meta), meta, finish);
}

/** redeemWithCodeInto with nothing more in its transaction: the LoginSuccess, for a session opened after. */
export function redeemWithCode(ctx: MfaTokenCtx & RecoveryCodesCtx, mfaToken: string, factor: TypedFactor, code: string, meta: RequestMeta): Promise<LoginSuccess> {
  return redeemWithCodeInto(ctx, mfaToken, factor, code, meta, redeemedAlone);
}
