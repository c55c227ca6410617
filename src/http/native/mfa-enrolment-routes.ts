import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { mfaOverview } from '../../core/mfa/mfa-overview.js';
import { confirmTotpEnrolment, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from '../../core/mfa/totp-enrolment.js';
import { principal, requestMeta, requireAuth, requireSession } from '../auth.js';
import { body, problems, str } from '../schemas.js';
import { passkeySchema } from './passkey-schemas.js';

const security = [{ bearer: [] }];
const tags = ['mfa'];
const password = str(4096);
const code = { type: 'string', maxLength: 16, description: 'the 6 digits the authenticator app shows (spaces allowed)' } as const;
const recoveryCodes = { type: 'array', items: { type: 'string' }, description: 'ten single-use codes (`xxxx-xxxx-xxxx`), shown this once; any earlier set stops working' } as const;

const overviewSchema = {
  type: 'object',
  properties: {
    totp: { type: 'boolean', description: 'an authenticator app is enrolled and confirmed' },
    passkeys: { type: 'array', items: passkeySchema, description: 'as `GET /v1/me/passkeys` lists them' },
    recovery_codes_left: { type: 'integer', description: 'unused recovery codes' },
  },
} as const;

const enrolmentSchema = {
  type: 'object',
  properties: {
    secret: { type: 'string', description: 'the base-32 secret, for typing into an app by hand; shown this once' },
    otpauth_uri: { type: 'string', description: 'the `otpauth://totp/…` URI the QR code holds (SHA-1, 6 digits, 30 s)' },
    qr_svg: { type: 'string', description: 'the URI as a QR code, an SVG document drawn by the server (nothing is fetched from elsewhere)' },
  },
} as const;

/** Managing the account's authenticator app (TOTP) and recovery codes: the rules are core/mfa/totp-enrolment.ts. */
export function nativeMfaEnrolmentRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);
  const anyCredential = requireAuth(core, ['Bearer', 'Token']);

  app.get('/v1/me/mfa', {
    schema: {
      tags,
      summary: 'Your second factors',
      description: 'Any credential of the account may read it, and so may an enrolment-only token.',
      security,
      response: { 200: overviewSchema, ...problems(401, 403) },
    },
    preHandler: anyCredential,
  }, async (request) => mfaOverview(core, principal(request).user.id));

  app.post('/v1/me/mfa/totp', {
    schema: {
      tags,
      summary: 'Start adding an authenticator app',
      description:
        'Needs a session (an API token gets 403; an enrolment-only token may) and `current_password`. A new secret waits for its first code ' +
        '(`POST /v1/me/mfa/totp/confirm`), replacing one that never got it; an account with a confirmed app gets 409 (remove it first).',
      security,
      body: body({ current_password: password }, ['current_password']),
      response: { 200: enrolmentSchema, ...problems(400, 401, 403, 409, 429) },
    },
    preHandler: session,
  }, async (request) => {
    const started = await startTotpEnrolment(core, principal(request).user.id, request.body as { current_password: string }, requestMeta(request));
    return { secret: started.secret, otpauth_uri: started.otpauthUri, qr_svg: await (await import('qrcode')).default.toString(started.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
  });

  app.post('/v1/me/mfa/totp/confirm', {
    schema: {
      tags,
      summary: 'Finish adding an authenticator app',
      description:
        'A current `code` of the app proves it holds the secret (its time step is spent). Answers the ten recovery codes, shown this once. ' +
        'From now on a password login asks for the second factor. Audited; the account is mailed. Nothing pending, or already confirmed: 409.',
      security,
      body: body({ code }, ['code']),
      response: { 200: { type: 'object', properties: { recovery_codes: recoveryCodes } }, ...problems(400, 401, 403, 409) },
    },
    preHandler: session,
  }, async (request) => {
    const { recoveryCodes: codes } = await confirmTotpEnrolment(core, principal(request).user.id, request.body as { code: string }, requestMeta(request));
    return { recovery_codes: codes };
  });

  app.delete('/v1/me/mfa/totp', {
    schema: {
      tags,
      summary: 'Remove the authenticator app',
      description:
        'Needs a session, `current_password` and a current `code` of the app: a stolen access token alone cannot remove it. ' +
        'The recovery codes go with it. Audited; the account is mailed. No app enrolled: 404.',
      security,
      body: body({ current_password: password, code }, ['current_password', 'code']),
      response: { 204: { type: 'null' }, ...problems(400, 401, 403, 404, 429) },
    },
    preHandler: session,
  }, async (request, reply) => {
    await removeTotp(core, principal(request).user.id, request.body as { current_password: string; code: string }, requestMeta(request));
    return reply.code(204).send();
  });

  app.post('/v1/me/mfa/recovery-codes', {
    schema: {
      tags,
      summary: 'Replace your recovery codes',
      description:
        'Needs a session and `current_password` or a current `code` of the app (either proves the person at the keyboard). ' +
        'Ten new codes replace the whole set, shown this once. Audited; the account is mailed. No app enrolled: 409.',
      security,
      body: body({ current_password: password, code }),
      response: { 200: { type: 'object', properties: { recovery_codes: recoveryCodes } }, ...problems(400, 401, 403, 409, 429) },
    },
    preHandler: session,
  }, async (request) => {
    const { recoveryCodes: codes } = await regenerateRecoveryCodes(core, principal(request).user.id, request.body as { current_password?: string; code?: string }, requestMeta(request));
    return { recovery_codes: codes };
  });
}
