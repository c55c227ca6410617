import { updateProfile } from '../../../core/account.js';
import { AuthError } from '../../../core/errors.js';
import { singleStepLogin } from '../../../core/mfa/single-step-login.js';
import { register } from '../../../core/register.js';
import { revokeByRefreshToken, rotateRefreshToken } from '../../../core/sessions.js';
import type { User } from '../../../core/users/user.js';
import { principal, requestMeta } from '../../auth.js';
import { customJwtAuthentication } from '../authentication.js';
import { asNonFieldError, wireBody, type DrfErrorOptions, type DrfOverride } from '../drf-errors.js';
import type { CompatProfile } from '../profile.js';
import { fields, nonBlank, text } from '../views.js';

/** Seed 004's views answer their own `{"error": …}` bodies with 400. */
class SeedError extends AuthError {
  constructor(message: string) {
    super('validation_failed', message, undefined, { [wireBody]: { error: message } });
  }
}

const invalidOrExpired: DrfOverride = () => ({ status: 400, body: { error: 'Invalid or expired refresh token' } });
const invalidLogin = asNonFieldError('Invalid email or password');

/** Its custom JWT authentication sends no WWW-Authenticate, so DRF answers 403 where it would say 401. */
const meErrors: DrfErrorOptions = { challenge: null };
const openErrors: DrfErrorOptions = { challenge: null };
const loginErrors: DrfErrorOptions = {
  challenge: null,
  overrides: {
    invalid_credentials: invalidLogin, account_inactive: invalidLogin, account_not_approved: invalidLogin, email_not_verified: invalidLogin,
    second_factor_required: asNonFieldError(), mfa_enrolment_required: asNonFieldError(),
  },
};
const refreshErrors: DrfErrorOptions = { challenge: null, overrides: { refresh_token_invalid: invalidOrExpired, refresh_token_reused: invalidOrExpired } };

const uuidShape = /^(urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** The body's refresh token, refused as the seed refuses it: missing, or not a UUID. */
function presentedRefreshToken(body: unknown): string {
  const token = (body as { refresh_token?: string }).refresh_token;
  if (!token) throw new SeedError('Refresh token is required');
  if (!uuidShape.test(token)) throw new SeedError('Invalid refresh token format');
  return token;
}

/** Seed 004's UserSerializer: a user who never set a username has null. */
function userView(user: User) {
  return { id: user.id, username: user.username || null, email: user.email };
}

const userSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: ['string', 'null'] }, email: { type: 'string' } },
} as const;

const tokensSchema = { type: 'object', properties: { access_token: { type: 'string' }, refresh_token: { type: 'string' } } } as const;

/** Seed 004 (django-auth-template): PyJWT access tokens with UUID refresh tokens stored in the database. */
export const jwtUuidRefreshProfile: CompatProfile = {
  name: 'jwt-uuid-refresh',
  seed: '004',
  summary: 'JWT access + UUID refresh tokens: /api/register/, /api/login/, /api/refresh/, /api/logout/, /api/me/',
  routes: [
    {
      method: 'POST',
      path: '/api/register/',
      summary: 'Create an account with email and password',
      body: fields({ email: nonBlank(254), password: nonBlank(4096) }, ['email', 'password']),
      response: { 201: { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string' } } } },
      errors: openErrors,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const { email, password } = request.body as { email: string; password: string };
        const { user } = await register(core, { email, password }, { identity: 'email', usernameIsLogin: false, issueTokens: false }, meta);
        reply.code(201);
        return { id: user.id, email: user.email };
      },
    },
    {
      method: 'POST',
      path: '/api/login/',
      summary: 'Log in: a JWT access token and a UUID refresh token',
      body: fields({ email: { type: 'string', maxLength: 254, format: 'email' }, password: nonBlank(4096) }, ['email', 'password']),
      response: { 200: tokensSchema },
      errors: loginErrors,
      async handler(core, request) {
        const { email, password } = request.body as { email: string; password: string };
        const { tokens } = await singleStepLogin(core, 'jwt-uuid-refresh', { login: email, password }, { by: 'email', refreshFormat: 'uuid' }, requestMeta(request));
        if (!tokens) throw new AuthError('internal');
        return { access_token: tokens.access_token, refresh_token: tokens.refresh_token };
      },
    },
    {
      method: 'POST',
      path: '/api/refresh/',
      summary: 'A new token pair for a refresh token',
      description: 'The presented refresh token is used up (a reused one ends its session).',
      body: fields({ refresh_token: text(512) }),
      response: { 200: tokensSchema },
      errors: refreshErrors,
      async handler(core, request) {
        const { pair } = await rotateRefreshToken(core, presentedRefreshToken(request.body), requestMeta(request));
        return { access_token: pair.access_token, refresh_token: pair.refresh_token };
      },
    },
    {
      method: 'POST',
      path: '/api/logout/',
      summary: 'End the session of a refresh token',
      description: 'No access token needed. The session ends at once, its access tokens included; an unknown token is answered alike.',
      body: fields({ refresh_token: text(512) }),
      response: { 200: { type: 'object', properties: { success: { type: 'string' } } } },
      errors: openErrors,
      async handler(core, request) {
        await revokeByRefreshToken(core, presentedRefreshToken(request.body), requestMeta(request));
        return { success: 'User logged out.' };
      },
    },
    {
      method: 'GET',
      path: '/api/me/',
      summary: 'Your id, username and email',
      security: 'bearer',
      authenticate: customJwtAuthentication,
      response: { 200: userSchema },
      errors: meErrors,
      async handler(_core, request) {
        return userView(principal(request).user);
      },
    },
    {
      method: 'PUT',
      path: '/api/me/',
      summary: 'Update your username or email (partial)',
      description: 'The username is a free, non-unique name ("John Smith"); a new email replaces the old one at once, as in the seed.',
      security: 'bearer',
      authenticate: customJwtAuthentication,
      body: fields({ username: { type: ['string', 'null'], maxLength: 150 }, email: nonBlank(254) }),
      response: { 200: userSchema },
      errors: meErrors,
      async handler(core, request) {
        const { username, email } = request.body as { username?: string | null; email?: string };
        const input = { ...(username !== undefined ? { username: username ?? '' } : {}), ...(email !== undefined ? { email } : {}) };
        const user = await updateProfile(core, principal(request).user.id, input, { emailChange: 'direct', stepUp: { sessionId: principal(request).sessionId, singleStep: true } }, requestMeta(request));
        return userView(user);
      },
    },
  ],
};
