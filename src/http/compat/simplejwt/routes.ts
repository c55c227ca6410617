import { AuthError, fieldError } from '../../../core/errors.js';
import { singleStepLogin } from '../../../core/mfa/single-step-login.js';
import { register } from '../../../core/register.js';
import { rotateRefreshToken } from '../../../core/sessions.js';
import { principal, requestMeta } from '../../auth.js';
import { simpleJwtAuthentication } from '../authentication.js';
import type { CompatProfile } from '../profile.js';
import { fields, idUsernameEmail, idUsernameEmailSchema, nonBlank, text } from '../views.js';
import { bearerErrors, obtainErrors, refreshErrors } from './errors.js';
import { loginEmail, refreshBody } from './credentials.js';
import { refreshFromDjango } from './django-refresh.js';
import { responseSchema, seedClaims, seedClaimsFor, tokenPairSchema } from './views.js';

/** Seed 001 (django-auth-backend): SimpleJWT with email login, a free-form username and an authenticated dashboard. */
export const simpleJwtProfile: CompatProfile = {
  name: 'simplejwt',
  seed: '001',
  anyOrigin: true,
  summary: 'SimpleJWT: /api/register/, /api/token/, /api/token/refresh/, /api/dashboard/',
  routes: [
    {
      method: 'POST',
      path: '/api/register/',
      summary: 'Create an account',
      description: 'The email is the login; the username is a free, non-unique name. `password2`, when sent, must match `password`.',
      body: fields({ email: nonBlank(254), username: text(100), password: nonBlank(4096), password2: text(4096) }, ['email', 'password']),
      response: { 201: idUsernameEmailSchema },
      errors: bearerErrors,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const { email, username, password, password2 } = request.body as { email: string; username?: string; password: string; password2?: string };
        if (password2 !== undefined && password2 !== password) throw fieldError({ password: ['Password Fields Does Not Match'] });
        const { user } = await register(core, { email, username, password }, { identity: 'email', usernameIsLogin: false, issueTokens: false }, meta);
        reply.code(201);
        return idUsernameEmail(user);
      },
    },
    {
      method: 'POST',
      path: '/api/token/',
      summary: 'Obtain an access and refresh token pair',
      description: 'Log in with `email` (the seed\'s USERNAME_FIELD), or with `username` as the seed README writes it: the email, or a username exactly one account has (one several accounts share answers 400, the seed\'s answer to a username login).',
      body: fields({ email: text(254), username: text(254), password: nonBlank(4096) }, ['password']),
      response: { 200: tokenPairSchema },
      errors: obtainErrors,
      async handler(core, request) {
        const { email, username, password } = request.body as { email?: string; username?: string; password: string };
        const meta = requestMeta(request);
        const who = await loginEmail(core, email, username, meta);
        const { tokens } = await singleStepLogin(core, 'simplejwt', { login: who, password }, { by: 'email', claims: seedClaims(core) }, meta);
        if (!tokens) throw new AuthError('internal');
        return { refresh: tokens.refresh_token, access: tokens.access_token };
      },
    },
    {
      method: 'POST',
      path: '/api/token/refresh/',
      summary: 'Refresh the access token',
      description: 'Rotates the refresh token, as the seed configures SimpleJWT (ROTATE_REFRESH_TOKENS, BLACKLIST_AFTER_ROTATION): use the `refresh` returned. A rotated token presented again ends its session. With GATEHOUSE_DJANGO_SIGNING_KEY, a refresh JWT of the old Django system is exchanged once for a session.',
      body: refreshBody,
      response: { 200: tokenPairSchema },
      errors: refreshErrors,
      async handler(core, request) {
        const { refresh } = request.body as { refresh: string };
        const meta = requestMeta(request);
        const pair = await rotateRefreshToken(core, refresh, meta, { claims: seedClaimsFor(core) }).then(
          (rotated) => rotated.pair,
          (err: unknown) => refreshFromDjango(core, refresh, meta, 'rotating', err, seedClaimsFor(core)),
        );
        return { access: pair.access_token, refresh: pair.refresh_token };
      },
    },
    {
      method: 'GET',
      path: '/api/dashboard/',
      summary: 'A personalised GET response',
      security: 'bearer',
      authenticate: simpleJwtAuthentication,
      response: { 200: responseSchema },
      errors: bearerErrors,
      async handler(_core, request) {
        return { response: `Hey ${principal(request).user.username}, You are seeing a GET response` };
      },
    },
    {
      method: 'POST',
      path: '/api/dashboard/',
      summary: 'A personalised response echoing `text`',
      description: 'Without `text` the seed answers "your text is None"; so does this.',
      security: 'bearer',
      authenticate: simpleJwtAuthentication,
      body: fields({ text: text(10_000) }),
      response: { 200: responseSchema },
      errors: bearerErrors,
      async handler(_core, request) {
        const { text: said } = request.body as { text?: string };
        return { response: `Hey ${principal(request).user.username}, your text is ${said ?? 'None'}` };
      },
    },
  ],
};
