/** The old Django system's credentials after a cut-over: SimpleJWT tokens verified with its signing key. */
export { authenticateDjangoAccess } from './authenticate-access.js';
export { exchangeDjangoRefresh, type DjangoRefreshMode } from './exchange-refresh.js';
export { looksLikeDjangoJwt, verifyDjangoJwt, type DjangoJwtClaims, type DjangoTokenType } from './verify-jwt.js';
