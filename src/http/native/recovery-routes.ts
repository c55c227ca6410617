import type { FastifyInstance } from 'fastify';
import { loginBlocker } from '../../core/activation.js';
import type { Core } from '../../core/core.js';
import { requestEmailVerification, requestPasswordReset, resetPasswordWithProof, verifyEmail, verifyPasswordResetCode } from '../../core/recovery/index.js';
import { requestMeta } from '../auth.js';
import { body, problems, str } from '../schemas.js';
import { recoveryPages } from './recovery-pages.js';

const tags = ['recovery'];
const forgotDetail = 'If an account uses this address, a code and a link to reset its password are on their way.';
const resendDetail = 'If this address is waiting for verification, a new code and link are on their way.';

const detailOnly = { type: 'object', properties: { detail: { type: 'string' } } } as const;

export function nativeRecoveryRoutes(app: FastifyInstance, core: Core): void {
  app.post('/v1/auth/password/forgot', {
    schema: {
      tags,
      summary: 'Ask for a password-reset mail',
      description: 'Always 202 with the same body, whether or not an account uses the address. An active account is mailed a one-time code and a link; `request_id` names the request for the code check (a decoy when no mail was sent). A new request supersedes earlier ones.',
      body: body({ email: str(254) }, ['email']),
      response: { 202: { type: 'object', properties: { detail: { type: 'string' }, request_id: { type: 'string' } } }, ...problems(400, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const { requestId } = await requestPasswordReset(core, request.body as { email: string }, requestMeta(request));
    reply.code(202);
    return { detail: forgotDetail, request_id: requestId };
  });

  app.post('/v1/auth/password/verify', {
    schema: {
      tags,
      summary: 'Check the mailed code; get a reset grant',
      description: 'Name the request by `request_id` (from /forgot) or by `email`. A wrong code spends one attempt (`otp_max_attempts`); after the last, even the right code fails (`otp_attempts_exceeded`). Success spends the code and returns a single-use grant for /reset.',
      body: body({ request_id: str(128), email: str(254), otp: str(32) }, ['otp']),
      response: { 200: { type: 'object', properties: { grant: { type: 'string' }, expires_in: { type: 'integer' } } }, ...problems(400, 413, 415, 429) },
    },
  }, async (request) => {
    const input = request.body as { request_id?: string; email?: string; otp: string };
    const { grant, expiresIn } = await verifyPasswordResetCode(core, { requestId: input.request_id, email: input.email, otp: input.otp }, requestMeta(request));
    return { grant, expires_in: expiresIn };
  });

  app.post('/v1/auth/password/reset', {
    schema: {
      tags,
      summary: 'Set a new password',
      description: 'With `reset_token` (the token in the mailed link) or `grant` (from /verify). Every session, API token and pending code of the account ends, a lock from failed logins is lifted, and a notice is mailed.',
      body: body({ reset_token: str(128), grant: str(128), new_password: str(4096) }, ['new_password']),
      response: { 204: { type: 'null' }, ...problems(400, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const input = request.body as { reset_token?: string; grant?: string; new_password: string };
    await resetPasswordWithProof(core, { linkToken: input.reset_token, grant: input.grant, newPassword: input.new_password }, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/v1/auth/verify-email', {
    schema: {
      tags,
      summary: 'Confirm an email address',
      description: 'With `token` (from the mailed link) or `email` and `code`. Confirms the account\'s address, or makes a pending new address (from PATCH /v1/me) the account\'s address. `activation_required` names what still keeps the account from logging in (e.g. `account_not_approved`), or is null.',
      body: body({ token: str(128), email: str(254), code: str(32) }),
      response: {
        200: { type: 'object', properties: { detail: { type: 'string' }, email: { type: 'string' }, email_verified: { type: 'boolean' }, activation_required: { type: ['string', 'null'] } } },
        ...problems(400, 409, 413, 415, 429),
      },
    },
  }, async (request) => {
    const user = await verifyEmail(core, request.body as { token?: string; email?: string; code?: string }, requestMeta(request));
    return { detail: 'Email address verified.', email: user.email, email_verified: user.email_verified, activation_required: loginBlocker(core, user)?.code ?? null };
  });

  app.post('/v1/auth/verify-email/resend', {
    schema: {
      tags,
      summary: 'Send the verification mail again',
      description: 'Always 202 with the same body. A new code supersedes the previous one.',
      body: body({ email: str(254) }, ['email']),
      response: { 202: detailOnly, ...problems(400, 413, 415, 429) },
    },
  }, async (request, reply) => {
    await requestEmailVerification(core, request.body as { email: string }, requestMeta(request));
    reply.code(202);
    return { detail: resendDetail };
  });

  recoveryPages(app, core);
}
