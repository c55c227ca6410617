import { updateProfile } from '../../../core/account.js';
import { deleteAvatar, setAvatar } from '../../../core/avatar.js';
import type { Core } from '../../../core/core.js';
import { AuthError } from '../../../core/errors.js';
import { login } from '../../../core/login.js';
import { register } from '../../../core/register.js';
import { refreshWithoutRotation } from '../../../core/sessions.js';
import type { User } from '../../../core/users/user.js';
import { principal, requestMeta } from '../../auth.js';
import { simpleJwtAuthentication } from '../authentication.js';
import { asDetail, type DrfErrorOptions } from '../drf-errors.js';
import type { CompatProfile } from '../profile.js';
import { refreshErrors, simpleJwtChallenge } from '../simplejwt/errors.js';
import { fields, nonBlank } from '../views.js';
import { imageInput, loginSchema, profileInput, profileProperties, seedFieldNames, userSchema, userView, type SeedProfileInput } from './views.js';
import { resetRoutes } from './reset-routes.js';

const errors: DrfErrorOptions = { challenge: simpleJwtChallenge, fieldNames: seedFieldNames };

const loginErrors: DrfErrorOptions = {
  ...errors,
  overrides: {
    // The README is silent on failures: DRF's AuthenticationFailed and PermissionDenied.
    invalid_credentials: asDetail(401, 'Incorrect authentication credentials.'),
    account_not_approved: asDetail(403, 'the user is not activated'),
  },
};

/** Stores, replaces or removes the avatar the request's `image` asked for; returns the user as it now is. */
async function applyImage(core: Core, user: User, image: Buffer | null | undefined): Promise<User> {
  if (image === undefined) return user;
  if (image === null) {
    await deleteAvatar(core, user.id);
    return { ...user, avatar_etag: null };
  }
  const avatar = await setAvatar(core, user.id, image);
  return { ...user, avatar_etag: avatar.etag };
}

/** Seed 002 (Django-REST-Authentication-System): JWT with email login, admin activation, profile fields and an emailed reset code. */
export const jwtOtpProfile: CompatProfile = {
  name: 'jwt-otp',
  seed: '002',
  summary: 'JWT with admin activation and OTP password reset: /api/register/, /api/login/, /auth/refresh/, /auth/email_request/, /auth/check_otp/, /auth/reset_password/, /api/user/',
  routes: [
    {
      method: 'POST',
      path: '/api/register/',
      summary: 'Create an account (awaits activation by an administrator)',
      description: 'JSON, form or multipart/form-data (for `image`). The email is the login; the username is a free, non-unique name.',
      body: fields({ ...profileProperties, email: nonBlank(254), password: nonBlank(4096) }, ['email', 'password']),
      response: { 201: userSchema },
      errors,
      uploads: true,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const input = request.body as SeedProfileInput & { password: string };
        const image = imageInput(core, input.image);
        const { user } = await register(core, { ...profileInput(input), password: input.password }, { identity: 'email', usernameIsLogin: false, issueTokens: false }, meta);
        reply.code(201);
        return userView(await applyImage(core, user, image ?? undefined), core.config.publicUrl);
      },
    },
    {
      method: 'POST',
      path: '/api/login/',
      summary: 'Log in with email and password',
      description: 'An account not yet activated by an administrator is refused with "the user is not activated". The refresh token is not rotated by /auth/refresh/.',
      body: fields({ email: nonBlank(254), password: nonBlank(4096) }, ['email', 'password']),
      response: { 200: loginSchema },
      errors: loginErrors,
      async handler(core, request) {
        const { email, password } = request.body as { email: string; password: string };
        const { user, tokens } = await login(core, { login: email, password }, { by: 'email', refreshFormat: 'reusable' }, requestMeta(request));
        if (!tokens) throw new AuthError('internal');
        return {
          detail: 'Logged in Successfully',
          data: { email: user.email, is_activated: user.approved && user.is_active },
          token: { access: tokens.access_token, refresh: tokens.refresh_token },
        };
      },
    },
    {
      method: 'POST',
      path: '/auth/refresh/',
      summary: 'A new access token for a refresh token',
      description: 'The refresh token stays the same (SimpleJWT without rotation) until it expires or the session ends (password change or reset, deactivation).',
      body: fields({ refresh: nonBlank(512) }, ['refresh']),
      response: { 200: { type: 'object', properties: { access: { type: 'string' } } } },
      errors: refreshErrors,
      async handler(core, request) {
        const { access } = await refreshWithoutRotation(core, (request.body as { refresh: string }).refresh);
        return { access: access.token };
      },
    },
    ...resetRoutes,
    {
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
      errors,
      uploads: true,
      async handler(core, request) {
        const input = request.body as SeedProfileInput;
        const image = imageInput(core, input.image);
        const meta = requestMeta(request);
        const user = await updateProfile(core, principal(request).user.id, profileInput(input), { emailChange: 'direct' }, meta);
        return userView(await applyImage(core, user, image), core.config.publicUrl);
      },
    },
  ],
};
