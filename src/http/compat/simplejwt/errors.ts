import type { AuthError } from '../../../core/errors.js';
import type { DrfErrorOptions, DrfOverride } from '../drf-errors.js';

/** SimpleJWT's JWTAuthentication and token views challenge with this. */
export const simpleJwtChallenge = 'Bearer realm="api"';

/**
 * SimpleJWT 5.3.1's TokenError message for a refused token (the version the seeds pin): a token
 * of the other type is "wrong type"; a bad signature, an expired or malformed token, a foreign
 * issuer or audience are all one PyJWT failure.
 */
export function tokenErrorMessage(err: AuthError): string {
  return err.reason === 'wrong_type' ? 'Token has wrong type' : 'Token is invalid or expired';
}

/**
 * JWTAuthentication's answer for a token it refuses: get_user()'s words for a deleted or
 * disabled account, else get_validated_token()'s InvalidToken listing the AccessToken's message.
 */
export function bearerFailureBody(err: AuthError): unknown {
  if (err.reason === 'user_not_found') return { detail: 'User not found', code: 'user_not_found' };
  if (err.reason === 'user_inactive') return { detail: 'User is inactive', code: 'user_inactive' };
  return {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message: tokenErrorMessage(err) }],
  };
}

const noActiveAccount: DrfOverride = () => ({ status: 401, body: { detail: 'No active account found with the given credentials' } });

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
