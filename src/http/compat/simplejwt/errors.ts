import type { DrfErrorOptions, DrfOverride } from '../drf-errors.js';

/** SimpleJWT's JWTAuthentication and token views challenge with this. */
export const simpleJwtChallenge = 'Bearer realm="api"';

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

/** TokenRefreshView: InvalidToken with SimpleJWT's messages; a reused rotated token reads as blacklisted. */
export const refreshErrors: DrfErrorOptions = {
  challenge: simpleJwtChallenge,
  overrides: {
    refresh_token_invalid: () => ({ status: 401, body: { detail: 'Token is invalid', code: 'token_not_valid' } }),
    refresh_token_reused: () => ({ status: 401, body: { detail: 'Token is blacklisted', code: 'token_not_valid' } }),
  },
};
