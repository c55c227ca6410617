import { updateProfile } from '../../../core/account.js';
import { deleteAvatar, setAvatar } from '../../../core/avatar.js';
import type { Db } from '../../../core/context.js';
import type { Core } from '../../../core/core.js';
import { AuthError } from '../../../core/errors.js';
import { singleStepLogin } from '../../../core/mfa/single-step-login.js';
import { register } from '../../../core/register.js';
import { refreshWithoutRotation } from '../../../core/sessions.js';
import type { User } from '../../../core/users/user.js';
import { principal, requestMeta } from '../../auth.js';
import { simpleJwtAuthentication } from '../authentication.js';
import type { CompatProfile, CompatRoute } from '../profile.js';
import { refreshBody } from '../simplejwt/credentials.js';
import { refreshFromDjango } from '../simplejwt/django-refresh.js';
import { refreshErrors } from '../simplejwt/errors.js';
import { fields, nonBlank } from '../views.js';
import { accountErrors, errors, loginErrors } from './errors.js';
import { imageInput, loginSchema, profileInput, profileProperties, userSchema, userView, type SeedProfileInput } from './views.js';
import { resetRoutes } from './reset-routes.js';
import { jwtOtpManifest } from './manifest.js';

/**
 * The seed mounts its app only under `auth/` (config/urls.py), so its clients call
 * `/auth/register/`, `/auth/login/`, `/auth/user/`; its README writes `/api/…`. Both are served.
 */
function onBothPaths(...routes: CompatRoute[]): CompatRoute[] {
  return routes.flatMap((route) => {
    const name = route.path.replace(/^\/api\//, '');
    return [{ ...route, path: `/auth/${name}` }, { ...route, path: `/api/${name}` }];
  });
}

/**
 * Work for the account's transaction that stores, replaces or removes the avatar the request's
 * `image` asked for (nothing when it asked for nothing), and the avatar's etag once it ran.
 */
function imageWork(core: Core, image: Buffer | null | undefined): { within?: (trx: Db, user: User) => Promise<void>; etag: (user: User) => string | null } {
  if (image === undefined) return { etag: (user) => user.avatar_etag };
  let etag: string | null = null;
  return {
    within: async (trx, user) => {
      if (image === null) await deleteAvatar(core, user.id, trx);
      else etag = (await setAvatar(core, user.id, image, trx)).etag;
    },
    etag: () => etag,
  };
}

/** Seed 002 (Django-REST-Authentication-System): JWT with email login, admin activation, profile fields and an emailed reset code. */
export const jwtOtpProfile: CompatProfile = {
  ...jwtOtpManifest,
  seed: '002',
  anyOrigin: true,
  summary: 'JWT with admin activation and OTP password reset: /auth/register/, /auth/login/, /auth/refresh/, /auth/email_request/, /auth/check_otp/, /auth/reset_password/, /auth/user/ (register, login and user also under /api/, as the README writes them)',
  routes: [
    ...onBothPaths({
      method: 'POST',
      path: '/api/register/',
      summary: 'Create an account (awaits activation by an administrator)',
      description: 'JSON, form or multipart/form-data (for `image`). The email is the login; the username is a free, non-unique name.',
      body: fields({ ...profileProperties, email: nonBlank(254), password: nonBlank(4096) }, ['email', 'password']),
      response: { 201: userSchema },
      errors: accountErrors,
      uploads: true,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const input = request.body as SeedProfileInput & { password: string };
        const image = imageInput(core, input.image);
        // Written in the account's transaction: an avatar that fails to store leaves no account.
        const avatar = imageWork(core, image ?? undefined);
        const { user } = await register(core, { ...profileInput(input), password: input.password }, { identity: 'email', usernameIsLogin: false, issueTokens: false, within: avatar.within }, meta);
        reply.code(201);
        return userView({ ...user, avatar_etag: avatar.etag(user) }, core.config.publicUrl);
      },
    },
    {
      method: 'POST',
      path: '/api/login/',
      summary: 'Log in with email and password',
      description: 'Refused logins are 400s, as the seed answers them: `{"detail": ["The email or password is not valid ."]}` (wrong password, unknown, disabled or locked account) or `{"detail": ["the user is not activated"]}`. The refresh token is not rotated by /auth/refresh/.',
      body: fields({ email: nonBlank(254), password: nonBlank(4096) }, ['email', 'password']),
      response: { 200: loginSchema },
      errors: loginErrors,
      async handler(core, request) {
        const { email, password } = request.body as { email: string; password: string };
        const { user, tokens } = await singleStepLogin(core, 'jwt-otp', { login: email, password }, { by: 'email', refreshFormat: 'reusable' }, requestMeta(request));
        if (!tokens) throw new AuthError('internal');
        return {
          detail: 'Logged in Successfully',
          data: { email: user.email, is_activated: user.approved && user.is_active },
          token: { access: tokens.access_token, refresh: tokens.refresh_token },
        };
      },
    }),
    {
      method: 'POST',
      path: '/auth/refresh/',
      summary: 'A new access token for a refresh token',
      description: 'The refresh token stays the same (SimpleJWT without rotation) until it expires or the session ends (password change or reset, deactivation). With GATEHOUSE_DJANGO_SIGNING_KEY, a refresh JWT of the old Django system works the same way, as one session.',
      body: refreshBody,
      response: { 200: { type: 'object', properties: { access: { type: 'string' } } } },
      errors: refreshErrors,
      async handler(core, request) {
        const { refresh } = request.body as { refresh: string };
        const access = await refreshWithoutRotation(core, refresh).then(
          (refreshed) => refreshed.access.token,
          async (err: unknown) => (await refreshFromDjango(core, refresh, requestMeta(request), 'reusable', err)).access_token,
        );
        return { access };
      },
    },
    ...resetRoutes,
    ...onBothPaths({
      method: 'GET',
      path: '/api/user/',
      summary: 'Your profile',
      security: 'bearer',
      authenticate: simpleJwtAuthentication,
      response: { 200: userSchema },
      errors,
      async handler(core, request) {
        return userView(principal(request).user, core.config.publicUrl);
      },
    },
    {
      method: 'PATCH',
      path: '/api/user/',
      summary: 'Update your profile',
      description: 'Any of the fields; `image` as a file (multipart/form-data), or null to remove it. A new email replaces the old one at once, as in the seed.',
      security: 'bearer',
      authenticate: simpleJwtAuthentication,
      body: fields(profileProperties),
      response: { 200: userSchema },
      errors: accountErrors,
      uploads: true,
      async handler(core, request) {
        const input = request.body as SeedProfileInput;
        const image = imageInput(core, input.image);
        const meta = requestMeta(request);
        const avatar = imageWork(core, image);
        const user = await updateProfile(core, principal(request).user.id, profileInput(input), { emailChange: 'direct', within: avatar.within, stepUp: { sessionId: principal(request).sessionId, singleStep: true } }, meta);
        return userView({ ...user, avatar_etag: avatar.etag(user) }, core.config.publicUrl);
      },
    }),
  ],
};
