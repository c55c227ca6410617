import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authenticateApiToken, authenticateBearer } from '../../core/authenticate.js';
import type { Core } from '../../core/core.js';
import { AuthError, type FailureReason } from '../../core/errors.js';
import { authenticateDjangoAccess, looksLikeDjangoJwt } from '../../core/django-tokens/index.js';
import type { Principal } from '../../core/authenticate.js';
import { wireBody } from './drf-errors.js';
import { bearerFailureBody } from './simplejwt/errors.js';

/** What JWTAuthentication refuses with its own bodies: the token, its session or its account. */
const bearerFailures = new Set<string>(['invalid_token', 'token_expired', 'session_revoked']);

/** The Authorization header split on whitespace, as DRF's get_authorization_header().split() does. */
function headerParts(request: FastifyRequest): string[] | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const parts = header.split(/\s+/).filter(Boolean);
  return parts.length ? parts : undefined;
}

/** DRF's TokenAuthentication: `Authorization: Token <key>`, with its messages. */
export function drfTokenAuthentication(core: Core): preHandlerAsyncHookHandler {
  return async (request) => {
    const parts = headerParts(request);
    if (!parts || parts[0]!.toLowerCase() !== 'token') throw new AuthError('not_authenticated');
    if (parts.length === 1) throw new AuthError('invalid_token', 'Invalid token header. No credentials provided.');
    if (parts.length > 2) throw new AuthError('invalid_token', 'Invalid token header. Token string should not contain spaces.');
    request.principal = await authenticateApiToken(core, parts[1]!);
  };
}

/** SimpleJWT's JWTAuthentication: `Authorization: Bearer <jwt>`, with its error bodies and codes. */
export function simpleJwtAuthentication(core: Core): preHandlerAsyncHookHandler {
  return async (request) => {
    const parts = headerParts(request);
    // Another scheme is not SimpleJWT's business: the request is simply anonymous.
    if (!parts || parts[0] !== 'Bearer') throw new AuthError('not_authenticated');
    if (parts.length !== 2) {
      const detail = 'Authorization header must contain two space-delimited values';
      throw new AuthError('invalid_token', detail, undefined, { [wireBody]: { detail, code: 'bad_authorization_header' } });
    }
    try {
      request.principal = await bearerOrDjangoAccess(core, parts[1]!);
    } catch (err) {
      if (!(err instanceof AuthError) || !bearerFailures.has(err.code)) throw err;
      throw new AuthError(err.code, err.catalogMessage ? undefined : err.message, undefined, { [wireBody]: bearerFailureBody(err) }, err.reason);
    }
  };
}

/**
 * A Gatehouse access token, or (with GATEHOUSE_DJANGO_SIGNING_KEY) one the old Django system issued,
 * until its `exp`. An old token whose signature holds answers with its own reason (expired, wrong
 * type, the account's state); any other refused token keeps Gatehouse's.
 */
async function bearerOrDjangoAccess(core: Core, token: string): Promise<Principal> {
  try {
    return await authenticateBearer(core, token);
  } catch (err) {
    if (!core.config.djangoSigningKey || !(err instanceof AuthError) || err.code !== 'invalid_token' || !looksLikeDjangoJwt(token)) throw err;
    try {
      return await authenticateDjangoAccess(core, token);
    } catch (old) {
      if (old instanceof AuthError && old.reason !== 'bad_signature' && old.reason !== 'malformed') throw old;
      throw err;
    }
  }
}

/**
 * Seed 004's words for each reason a token is refused: its one user check (User.DoesNotExist) for a
 * deleted account and a disabled one (which it lets through, so it reads alike), else "Invalid token".
 */
export const customJwtWords: Record<FailureReason, string> = {
  malformed: 'Invalid token',
  bad_signature: 'Invalid token',
  expired: 'Token has expired',
  wrong_type: 'Invalid token',
  wrong_issuer: 'Invalid token',
  user_not_found: 'User not found',
  user_inactive: 'User not found',
};

/**
 * Seed 004's CustomJWTAuthentication: Bearer only, its own messages, and no
 * WWW-Authenticate (so its failures are 403s, see the route's renderer).
 */
export function customJwtAuthentication(core: Core): preHandlerAsyncHookHandler {
  return async (request) => {
    const parts = headerParts(request);
    if (!parts) {
      // Its own words, without DRF's full stop.
      const detail = 'Authentication credentials were not provided';
      throw new AuthError('not_authenticated', detail, undefined, { [wireBody]: { detail } });
    }
    if (parts.length !== 2) throw new AuthError('invalid_token', 'Invalid Authorization header format');
    if (parts[0]!.toLowerCase() !== 'bearer') throw new AuthError('invalid_token', 'Authorization header must start with Bearer');
    try {
      request.principal = await authenticateBearer(core, parts[1]!);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.code === 'token_expired') throw new AuthError('token_expired', customJwtWords.expired);
      if (err.reason === 'user_not_found' || err.reason === 'user_inactive') throw new AuthError('invalid_token', customJwtWords[err.reason]);
      if (err.code === 'invalid_token' || err.code === 'session_revoked') throw new AuthError('invalid_token', customJwtWords[err.reason ?? 'malformed']);
      throw err;
    }
  };
}
