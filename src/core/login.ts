import { blockedError } from './activation.js';
import type { RequestMeta } from './audit.js';
import { AuthError } from './errors.js';
import { authenticateLogin, type AuthenticateLoginCtx, type AuthenticateOptions, type PasswordLogin } from './login/authenticate-login.js';
import type { SessionOptions } from './login/establish-session.js';
import type { FactorRequired, LoginFailureReason } from './login/verdict.js';
import { mfaRequiredProblem, type MfaTokenCtx } from './mfa/mfa-token.js';
import { completePasswordLogin, type PasswordLoginCtx, type PasswordLoginResult, type RequirementOptions } from './mfa/password-login.js';

export { authenticateLogin, loginBudgetKey, type AuthenticateLoginCtx, type AuthenticateOptions } from './login/authenticate-login.js';
export { establishSession, type EstablishSessionCtx, type LoginResult, type SessionOptions } from './login/establish-session.js';
export { lockSeconds } from './login/fail-login.js';
export { noSecondFactors, type SecondFactor, type SecondFactors } from './login/second-factors.js';
export { loginFailureReasons, type LoginFailureReason, type LoginVerdict, type LoginSuccess } from './login/verdict.js';

export type LoginInput = PasswordLogin;
export type LoginOptions = AuthenticateOptions & SessionOptions & RequirementOptions & {
  /** The route can take the second factor: a right password answers `mfa_required` with an mfa_token (native API) instead of a refusal. */
  mfaStep?: boolean;
};
export type LoginCtx = AuthenticateLoginCtx & PasswordLoginCtx & MfaTokenCtx;

/** What a refused login throws: one answer for every credential failure, the block's own for a blocked account. */
export function loginRefusal(reason: LoginFailureReason): AuthError {
  switch (reason) {
    case 'unknown_account':
    case 'password_too_long':
    case 'locked':
    case 'wrong_password':
      return new AuthError('invalid_credentials');
    default:
      return blockedError(reason);
  }
}

/**
 * What a password-only route answers an account that has further factors. Nothing enrols one yet;
 * the multi-factor issue gives routes that can take the next factor their own answer.
 */
export function factorRequiredRefusal(verdict: FactorRequired): AuthError {
  return new AuthError('invalid_credentials', 'This account needs another factor; sign in through an app that supports it', undefined, { factors: verdict.factors });
}

/** A password login: authenticateLogin's verdict, then (for a success) the MFA requirement and establishSession. */
export async function login(ctx: LoginCtx, input: LoginInput, options: LoginOptions, meta: RequestMeta): Promise<PasswordLoginResult> {
  const verdict = await authenticateLogin(ctx, input, options, meta);
  if (verdict.kind === 'failure') throw loginRefusal(verdict.reason);
  if (verdict.kind === 'factor_required') throw options.mfaStep ? await mfaRequiredProblem(ctx, verdict, meta) : factorRequiredRefusal(verdict);
  return completePasswordLogin(ctx, verdict, options, meta);
}
