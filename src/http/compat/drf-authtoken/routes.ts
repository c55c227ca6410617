import { singleStepLogin } from '../../../core/mfa/single-step-login.js';
import { issueLoginKey } from '../../../core/login-keys.js';
import { register } from '../../../core/register.js';
import { principal, requestMeta } from '../../auth.js';
import { drfTokenAuthentication } from '../authentication.js';
import { asNonFieldError, type DrfErrorOptions } from '../drf-errors.js';
import type { CompatProfile } from '../profile.js';
import { fields, idUsernameEmail, idUsernameEmailSchema, nonBlank, text } from '../views.js';

const keyName = 'drf-authtoken login';
const tokenErrors: DrfErrorOptions = { challenge: 'Token' };

/** ObtainAuthToken: authenticate() gives no user for a wrong password or a disabled account alike. */
const unableToLogIn = asNonFieldError('Unable to log in with provided credentials.');
const obtainErrors: DrfErrorOptions = {
  challenge: 'Token',
  overrides: {
    invalid_credentials: unableToLogIn, account_inactive: unableToLogIn, account_not_approved: unableToLogIn, email_not_verified: unableToLogIn,
    second_factor_required: asNonFieldError(), mfa_enrolment_required: asNonFieldError(),
  },
};

/** Seed 003 (Django REST API Authentication System): rest_framework.authtoken with a create view and /me. */
export const drfAuthtokenProfile: CompatProfile = {
  name: 'drf-authtoken',
  seed: '003',
  summary: 'DRF authtoken: /api/create/, /api/token/ (ObtainAuthToken), /api/me/',
  routes: [
    {
      method: 'POST',
      path: '/api/create/',
      summary: 'Create an account',
      description: 'The username is the unique login name.',
      body: fields({ username: nonBlank(150), email: text(254), password: nonBlank(4096) }, ['username', 'password']),
      response: { 201: idUsernameEmailSchema },
      errors: tokenErrors,
      async handler(core, request, reply) {
        const meta = requestMeta(request);
        const { username, email, password } = request.body as { username: string; email?: string; password: string };
        const { user } = await register(core, { username, email, password }, { identity: 'username', usernameIsLogin: true, issueTokens: false }, meta);
        reply.code(201);
        return idUsernameEmail(user);
      },
    },
    {
      method: 'POST',
      path: '/api/token/',
      summary: 'Obtain an auth token (ObtainAuthToken)',
      description: 'Each login issues a new 40-hex key: keys are stored hashed, so DRF\'s "same key every time" cannot be kept.',
      body: fields({ username: nonBlank(150), password: nonBlank(4096) }, ['username', 'password']),
      response: { 200: { type: 'object', properties: { token: { type: 'string' } } } },
      errors: obtainErrors,
      async handler(core, request) {
        const meta = requestMeta(request);
        const { username, password } = request.body as { username: string; password: string };
        const { user } = await singleStepLogin(core, 'drf-authtoken', { login: username, password }, { by: 'username', openSession: false }, meta);
        return { token: await issueLoginKey(core, user.id, keyName, meta) };
      },
    },
    {
      method: 'GET',
      path: '/api/me/',
      summary: 'Your id, username and email',
      security: 'token',
      authenticate: drfTokenAuthentication,
      response: { 200: idUsernameEmailSchema },
      errors: tokenErrors,
      async handler(_core, request) {
        return idUsernameEmail(principal(request).user);
      },
    },
  ],
};
