import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../config.js';
import type { Core } from '../../core/core.js';
import { authenticateBearer } from '../../core/authenticate.js';
import { csrfMatches, consoleMaxSeconds, resolveConsoleSession, type ConsoleSession } from '../../core/admin/console-sessions.js';
import { assertAdminLevel, type AdminActor, type AdminLevel } from '../../core/admin/permissions.js';
import { AuthError } from '../../core/errors.js';
import { readCredential, requestMeta } from '../auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    adminActor?: AdminActor;
    consoleSession?: ConsoleSession;
  }
}

/** `__Host-` pins the cookie to this origin over HTTPS; plain-HTTP development cannot use the prefix. */
export function consoleCookieName(config: Config): string {
  return secureCookies(config) ? '__Host-gatehouse_console' : 'gatehouse_console';
}

/** Cookies are Secure in production and whenever the public URL is HTTPS. */
export function secureCookies(config: Config): boolean {
  return config.env === 'production' || config.publicUrl.startsWith('https://');
}

export function setConsoleCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(consoleCookieName(config), token, { httpOnly: true, secure: secureCookies(config), sameSite: 'strict', path: '/', maxAge: consoleMaxSeconds });
}

export function clearConsoleCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(consoleCookieName(config), { httpOnly: true, secure: secureCookies(config), sameSite: 'strict', path: '/' });
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session the request's cookie names, if it is live. */
export async function consoleSessionOf(core: Core, request: FastifyRequest): Promise<ConsoleSession | undefined> {
  if (request.consoleSession) return request.consoleSession;
  const token = request.cookies?.[consoleCookieName(core.config)];
  const session = token ? await resolveConsoleSession(core, token) : undefined;
  if (session) request.consoleSession = session;
  return session;
}

/**
 * A cross-site form post carries the attacker's Origin: refuse it before anything runs. Requests
 * without Origin (curl, old browsers) rely on SameSite=Strict and the CSRF token.
 */
export function assertSameOrigin(core: Core, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (safeMethods.has(request.method) || typeof origin !== 'string') return;
  const own = new Set([new URL(core.config.publicUrl).origin, `${request.protocol}://${request.host}`]);
  if (!own.has(origin)) throw new AuthError('permission_denied', 'Cross-origin request refused.');
}

/**
 * The admin API's guard, one per route: a staff member's Bearer access token, or the console's
 * session cookie (with the session's CSRF token in `X-CSRF-Token` on unsafe methods); then the
 * route's level. 401 when nobody is signed in, 403 when the account is below the level.
 */
export function adminApiGuard(core: Core, level: AdminLevel): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest) {
    let user;
    const bearer = readCredential(request, ['Bearer']);
    if (bearer) user = (await authenticateBearer(core, bearer.value)).user;
    else {
      const session = await consoleSessionOf(core, request);
      if (!session) throw new AuthError('not_authenticated');
      assertSameOrigin(core, request);
      if (!safeMethods.has(request.method) && !csrfMatches(session, request.headers['x-csrf-token'])) {
        throw new AuthError('permission_denied', 'CSRF token missing or incorrect.');
      }
      user = session.user;
    }
    assertAdminLevel(user, level);
    request.adminActor = { user, meta: requestMeta(request) };
  };
}

/** The actor of a route behind an admin guard. */
export function actorOf(request: FastifyRequest): AdminActor {
  if (!request.adminActor) throw new AuthError('not_authenticated');
  return request.adminActor;
}

/** OpenAPI: admin routes take a Bearer token (the console's cookie session works too, see the tag description). */
export const adminSecurity = [{ bearer: [] }];
export const requires = (level: AdminLevel) =>
  `${level === 'superuser' ? 'Superusers only' : 'Staff and superusers'}: a Bearer access token, or the web console's session cookie (with \`X-CSRF-Token\` on changes).`;
