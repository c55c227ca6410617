import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { RequestMeta } from '../core/audit.js';
import { authenticateApiToken, authenticateBearer, type Principal } from '../core/authenticate.js';
import type { Core } from '../core/core.js';
import { AuthError } from '../core/errors.js';
import { requestLocale } from './locale.js';
import { isEnrolmentRoute } from './mfa-enrolment.js';
import { authenticateEnrolmentToken, isEnrolmentToken } from '../core/mfa/enrolment-session.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export type Scheme = 'Bearer' | 'Token';

/** Which of `schemes` the header's first word names, case-insensitively (exact case checked first: every request pays for this). */
function schemeAt(header: string, space: number, schemes: readonly Scheme[]): Scheme | undefined {
  for (const s of schemes) if (s.length === space && header.startsWith(s)) return s;
  const word = header.slice(0, space).toLowerCase();
  return schemes.find((s) => s.toLowerCase() === word);
}

/** The credential in an Authorization header, when it uses one of `schemes`. */
export function readCredential(request: FastifyRequest, schemes: readonly Scheme[]): { scheme: Scheme; value: string } | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = schemeAt(header, space, schemes);
  if (!scheme) return undefined;
  const value = header.slice(space + 1).trim();
  if (!value || /\s/.test(value)) throw new AuthError('invalid_token', 'Invalid token header. Credentials string should not contain spaces.');
  return { scheme, value };
}

/** Authenticates with any of `schemes`, or answers 401. */
export function requireAuth(core: Core, schemes: readonly Scheme[]): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    const credential = readCredential(request, schemes);
    if (!credential) throw new AuthError('not_authenticated');
    if (credential.scheme === 'Bearer' && isEnrolmentToken(credential.value)) {
      if (!isEnrolmentRoute(request)) throw new AuthError('mfa_enrolment_required', 'This token may only enrol a second factor (an authenticator app or a passkey); log in again once one is enrolled.');
      request.principal = await authenticateEnrolmentToken(core, credential.value);
      return;
    }
    request.principal = credential.scheme === 'Bearer' ? await authenticateBearer(core, credential.value) : await authenticateApiToken(core, credential.value);
  };
}

/**
 * Session-only routes (logout, password, sessions, API tokens, …): Bearer or Token is read, so a
 * valid API token is recognised, then refused with 403 — a known user who may not do this.
 */
export function requireSession(core: Core): preHandlerAsyncHookHandler {
  const authenticate = requireAuth(core, ['Bearer', 'Token']);
  return async function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
    await authenticate.call(this as never, request, reply);
    if (!principal(request).sessionId) throw new AuthError('permission_denied', 'This action needs a session (Bearer) token; an API token may not do it.');
  };
}

/** The authenticated principal of a route guarded by requireAuth. */
export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AuthError('not_authenticated');
  return request.principal;
}

/** The current session of a Bearer-authenticated request. */
export function sessionOf(request: FastifyRequest): string {
  const p = principal(request);
  if (!p.sessionId) throw new AuthError('permission_denied', 'This action needs a session (Bearer) token.');
  return p.sessionId;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  const locale = requestLocale(request);
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 512) : '', ...(locale ? { locale } : {}) };
}
