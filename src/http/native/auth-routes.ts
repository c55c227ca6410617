import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { logout, logoutAll } from '../../core/account.js';
import { deviceCookieName, deviceTokenDays } from '../../core/device-tokens.js';
import { login } from '../../core/login.js';
import { register } from '../../core/register.js';
import { rotateRefreshToken } from '../../core/sessions.js';
import { secureCookies } from '../admin/admin-auth.js';
import { principal, requestMeta, requireSession, sessionOf } from '../auth.js';
import { body, problems, ref, str } from '../schemas.js';
import { publicUser } from '../views.js';
import { enrolmentDeadline, mfaEnrolmentRequiredBy } from '../mfa-enrolment.js';

const tags = ['auth'];

const profileProps = {
  username: str(150),
  email: str(254),
  first_name: str(150),
  last_name: str(150),
  phone_number: str(32),
  date_of_birth: { type: ['string', 'null'], maxLength: 10, description: 'YYYY-MM-DD' },
  gender: str(32),
  bio: str(2000),
};

/** The session answer of every sign-in route (login, second factor, passkey). */
export const sessionResponse = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    refresh_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
    user: ref('PublicUser'),
  },
} as const;

export function nativeAuthRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);

  app.post('/v1/auth/register', {
    schema: {
      tags,
      summary: 'Create an account',
      description: 'A username and/or an email (per GATEHOUSE_REGISTRATION_IDENTITY) and a password. Returns the user and, when the account may log in at once, a token pair.',
      body: body({ ...profileProps, password: str(4096) }, ['password']),
      response: {
        201: { type: 'object', properties: { ...sessionResponse.properties, activation_required: { type: 'string' } } },
        ...problems(400, 413, 415, 429),
      },
    },
  }, async (request, reply) => {
    const meta = requestMeta(request);
    const input = request.body as Parameters<typeof register>[1];
    const result = await register(core, input, { identity: core.config.registrationIdentity, usernameIsLogin: true, issueTokens: true }, meta);
    reply.code(201);
    return {
      ...(result.tokens ?? {}),
      user: publicUser(result.user, core.config.publicUrl),
      ...(result.pending ? { activation_required: result.pending.code } : {}),
    };
  });

  app.post('/v1/auth/login', {
    schema: {
      tags,
      summary: 'Log in with email or username and password',
      description:
        'A successful login returns a `device_token` (and sets it as the HttpOnly `gh_device` cookie, sent only to this route). ' +
        'Presenting it again (`device_token` field or the cookie) lets this client log in to the same account while the account is locked ' +
        'or its per-account budget is spent by others; per-IP limits still apply. A token that is unknown, expired or another account\'s is ignored.',
      body: body({ login: str(254), password: str(4096), device_token: str(512) }, ['login', 'password']),
      response: { 200: { type: 'object', properties: { ...sessionResponse.properties, device_token: { type: 'string' }, mfa_enrolment_required_by: mfaEnrolmentRequiredBy } }, ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const { login: who, password, device_token } = request.body as { login: string; password: string; device_token?: string };
    const deviceToken = device_token ?? fastifyCookie.parse(request.headers.cookie ?? '')[deviceCookieName];
    const result = await login(core, { login: who, password, deviceToken }, { by: 'either', issueDeviceToken: true, enrolment: 'session', mfaStep: true }, requestMeta(request));
    if (result.deviceToken) {
      reply.header('set-cookie', fastifyCookie.serialize(deviceCookieName, result.deviceToken, {
        httpOnly: true, secure: secureCookies(core.config), sameSite: 'strict', path: '/v1/auth/login', maxAge: deviceTokenDays * 86_400,
      }));
    }
    return { ...result.tokens, user: publicUser(result.user, core.config.publicUrl), device_token: result.deviceToken, ...enrolmentDeadline(result) };
  });

  app.post('/v1/auth/refresh', {
    schema: {
      tags,
      summary: 'Rotate a refresh token',
      description: 'The presented refresh token dies and a new pair is returned. Presenting a rotated token again (after a short grace window) ends the whole session.',
      body: body({ refresh_token: str(512) }, ['refresh_token']),
      response: { 200: ref('TokenPair'), ...problems(400, 401) },
    },
  }, async (request) => {
    const { refresh_token } = request.body as { refresh_token: string };
    const { pair } = await rotateRefreshToken(core, refresh_token, requestMeta(request));
    return pair;
  });

  app.post('/v1/auth/logout', {
    schema: { tags, summary: 'End the current session', security: [{ bearer: [] }], response: { 204: { type: 'null' }, ...problems(401, 403) } },
    preHandler: session,
  }, async (request, reply) => {
    await logout(core, principal(request).user.id, sessionOf(request), requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/v1/auth/logout-all', {
    schema: {
      tags,
      summary: 'End every session of this account',
      security: [{ bearer: [] }],
      response: { 200: { type: 'object', properties: { sessions_revoked: { type: 'integer' } } }, ...problems(401, 403) },
    },
    preHandler: session,
  }, async (request) => {
    const sessions_revoked = await logoutAll(core, principal(request).user.id, requestMeta(request), { apiTokenId: principal(request).apiTokenId });
    return { sessions_revoked };
  });
}

export { profileProps };
