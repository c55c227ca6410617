import { changePassword } from '../../../core/account.js';
import { deleteApiTokens } from '../../../core/api-tokens.js';
import { singleStepLogin } from '../../../core/mfa/single-step-login.js';
import { issueLoginKey } from '../../../core/login-keys.js';
import { register, type RegisterInput } from '../../../core/register.js';
import { principal, requestMeta } from '../../auth.js';
import { drfTokenAuthentication } from '../authentication.js';
import { asNonFieldError, type DrfErrorOptions } from '../drf-errors.js';
import type { CompatProfile } from '../profile.js';
import { fields, nonBlank, text } from '../views.js';
import { detailSchema, messageSchema, profileSchema, profileView, tokenAndUserSchema, userView } from './views.js';

const keyName = 'drf-token login';

/** DRF's TokenAuthentication answers 401 with `WWW-Authenticate: Token`. */
const tokenErrors: DrfErrorOptions = { challenge: 'Token' };

const loginErrors: DrfErrorOptions = {
  challenge: 'Token',
  overrides: {
    invalid_credentials: asNonFieldError('Unable to log in with provided credentials.'),
    account_inactive: asNonFieldError(),
    account_not_approved: asNonFieldError(),
    email_not_verified: asNonFieldError(),
    second_factor_required: asNonFieldError(),
    mfa_enrolment_required: asNonFieldError(),
  },
};

/** Seed 000 (API-Server-Auth): DRF token authentication with signup, login, logout, profile, password change, dashboard. */
export const drfTokenProfile: CompatProfile = {
  name: 'drf-token',
  seed: '000',
  summary: 'DRF TokenAuthentication: /signup/, /login/, /logout/, /view_profile/, /change_password/, /dashboard/',
  routes: [
    {
      method: 'POST',
      path: '/signup/',
      summary: 'Create an account and get a token',
      description: 'The username is the unique login name. Answers the token and the user (never the password hash).',
      body: fields({ username: nonBlank(150), password: nonBlank(4096), email: text(254), first_name: text(150), last_name: text(150) }, ['username', 'password']),
      response: { 201: tokenAndUserSchema },
      errors: tokenErrors,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const result = await register(core, request.body as RegisterInput, { identity: 'username', usernameIsLogin: true, issueTokens: false }, meta);
        reply.code(201);
        // An account waiting for verification or approval gets no key yet.
        if (result.pending) return { token: null, user: userView(result.user), detail: result.pending.message };
        return { token: await issueLoginKey(core, result.user.id, keyName, meta), user: userView(result.user) };
      },
    },
    {
      method: 'POST',
      path: '/login/',
      summary: 'Log in with username and password and get a token',
      description: 'Each login issues a new 40-hex key (keys are stored hashed, so an earlier one cannot be handed out again).',
      body: fields({ username: nonBlank(150), password: nonBlank(4096) }, ['username', 'password']),
      response: { 200: tokenAndUserSchema },
      errors: loginErrors,
      async handler(core, request) {
        const meta = requestMeta(request);
        const { username, password } = request.body as { username: string; password: string };
        const { user } = await singleStepLogin(core, 'drf-token', { login: username, password }, { by: 'username', openSession: false }, meta);
        return { token: await issueLoginKey(core, user.id, keyName, meta), user: userView(user) };
      },
    },
    {
      method: 'POST',
      path: '/logout/',
      summary: 'Delete the token this request uses',
      security: 'token',
      authenticate: drfTokenAuthentication,
      response: { 200: detailSchema },
      errors: tokenErrors,
      async handler(core, request) {
        const p = principal(request);
        await deleteApiTokens(core, p.user.id, p.apiTokenId, requestMeta(request));
        return { detail: 'Successfully logged out.' };
      },
    },
    {
      method: 'POST',
      path: '/view_profile/',
      summary: 'Your profile',
      security: 'token',
      authenticate: drfTokenAuthentication,
      response: { 200: profileSchema },
      errors: tokenErrors,
      async handler(_core, request) {
        return profileView(principal(request).user);
      },
    },
    {
      method: 'POST',
      path: '/change_password/',
      summary: 'Change your password',
      description: 'Checks the old password and the password policy. The token making the request stays valid; every other token, login key and session of the account ends.',
      security: 'token',
      authenticate: drfTokenAuthentication,
      body: fields({ old_password: nonBlank(4096), new_password: nonBlank(4096) }, ['old_password', 'new_password']),
      response: { 200: detailSchema },
      errors: tokenErrors,
      async handler(core, request) {
        await changePassword(core, principal(request).user.id, request.body as { old_password: string; new_password: string }, requestMeta(request), { apiTokenId: principal(request).apiTokenId, singleStep: true });
        return { detail: 'Password successfully updated.' };
      },
    },
    {
      method: 'POST',
      path: '/dashboard/',
      summary: 'Your dashboard greeting',
      security: 'token',
      authenticate: drfTokenAuthentication,
      response: { 200: messageSchema },
      errors: tokenErrors,
      async handler(_core, request) {
        return { message: `Welcome to your dashboard, ${principal(request).user.username}!` };
      },
    },
  ],
};
