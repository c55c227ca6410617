import { blockedError } from './activation.js';
import type { RequestMeta } from './audit.js';
import { AuthError } from './errors.js';
import { authenticateLogin, type AuthenticateLoginCtx, type AuthenticateOptions, type PasswordLogin } from './login/authenticate-login.js';
import { establishSession, type EstablishSessionCtx, type LoginResult, type SessionOptions } from './login/establish-session.js';
import type { FactorRequired, LoginFailureReason } from './login/verdict.js';

export { authenticateLogin, loginBudgetKey, type AuthenticateLoginCtx, type AuthenticateOptions } from './login/authenticate-login.js';
export { establishSession, type EstablishSessionCtx, type LoginResult, type SessionOptions } from './login/establish-session.js';
export { lockSeconds } from './login/fail-login.js';
export { noSecondFactors, type SecondFactor, type SecondFactors } from './login/second-factors.js';
export { loginFailureReasons, type LoginFailureReason, type LoginVerdict, type LoginSuccess } from './login/verdict.js';

export type LoginInput = PasswordLogin;
export type LoginOptions = AuthenticateOptions & SessionOptions;
export type LoginCtx = AuthenticateLoginCtx & EstablishSessionCtx;

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

/** A password login: authenticateLogin's verdict, then establishSession for a success. */
export async function login(ctx: LoginCtx, input: LoginInput, options: LoginOptions, meta: RequestMeta): Promise<LoginResult> {
  const verdict = await authenticateLogin(ctx, input, options, meta);
  if (verdict.kind === 'failure') throw loginRefusal(verdict.reason);
  if (verdict.kind === 'factor_required') throw factorRequiredRefusal(verdict);
  return establishSession(ctx, verdict, options, meta);
}
