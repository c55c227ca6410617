import type { AuthError, FailureReason } from '../../../core/errors.js';
import type { DrfErrorOptions, DrfOverride } from '../drf-errors.js';

/** SimpleJWT's JWTAuthentication and token views challenge with this. */
export const simpleJwtChallenge = 'Bearer realm="api"';

type TokenErrorMessage = 'Token has wrong type' | 'Token is invalid or expired';

/**
 * SimpleJWT 5.3.1's TokenError message for each reason a token is refused (the version the seeds
 * pin): a token of the other type is "wrong type"; a bad signature, an expired or malformed token, a
 * foreign issuer or audience are all one PyJWT failure. An account's reasons only reach the token
 * views as a token that does not verify.
 */
export const tokenErrorMessages: Record<FailureReason, TokenErrorMessage> = {
  malformed: 'Token is invalid or expired',
  bad_signature: 'Token is invalid or expired',
  expired: 'Token is invalid or expired',
  wrong_issuer: 'Token is invalid or expired',
  wrong_type: 'Token has wrong type',
  user_not_found: 'Token is invalid or expired',
  user_inactive: 'Token is invalid or expired',
};

export function tokenErrorMessage(err: AuthError): TokenErrorMessage {
  return tokenErrorMessages[err.reason ?? 'malformed'];
}

/** JWTAuthentication.get_user()'s answers, for the reasons that are about the account rather than the token. */
export const userFailureBodies: Partial<Record<FailureReason, { detail: string; code: string }>> = {
  user_not_found: { detail: 'User not found', code: 'user_not_found' },
  user_inactive: { detail: 'User is inactive', code: 'user_inactive' },
};

/**
 * JWTAuthentication's answer for a token it refuses: get_user()'s words for a deleted or
 * disabled account, else get_validated_token()'s InvalidToken listing the AccessToken's message.
 */
export function bearerFailureBody(err: AuthError): unknown {
  const userFailure = err.reason && userFailureBodies[err.reason];
  if (userFailure) return userFailure;
  return {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message: tokenErrorMessage(err) }],
  };
}

const noActiveAccount: DrfOverride = () => ({ status: 401, body: { detail: 'No active account found with the given credentials' } });
/** A login the seed's client cannot finish (a second factor, or one to enrol): AuthenticationFailed's 401 with our words. */
const cannotFinish: DrfOverride = (err) => ({ status: 401, body: { detail: err.message } });

/** Views behind JWTAuthentication (the dashboard, the profile). */
export const bearerErrors: DrfErrorOptions = { challenge: simpleJwtChallenge };

/** TokenObtainPairView: every refused login is SimpleJWT's "no active account" 401. */
export const obtainErrors: DrfErrorOptions = {
  challenge: simpleJwtChallenge,
  overrides: {
    invalid_credentials: noActiveAccount,
    account_inactive: noActiveAccount,
    account_not_approved: noActiveAccount,
    email_not_verified: noActiveAccount,
    second_factor_required: cannotFinish,
    mfa_enrolment_required: cannotFinish,
  },
};

/** TokenRefreshView: InvalidToken with the TokenError's message; a reused rotated token reads as blacklisted. */
export const refreshErrors: DrfErrorOptions = {
  challenge: simpleJwtChallenge,
  overrides: {
    refresh_token_invalid: (err) => ({ status: 401, body: { detail: tokenErrorMessage(err), code: 'token_not_valid' } }),
    refresh_token_reused: () => ({ status: 401, body: { detail: 'Token is blacklisted', code: 'token_not_valid' } }),
  },
};
