import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { establishSession } from '../../core/login.js';
import { passkeyLogin, passkeyLoginOptions } from '../../core/mfa/passkey-authentication.js';
import { listPasskeys, removePasskey, renamePasskey } from '../../core/mfa/passkey-manage.js';
import { passkeyRegistrationOptions, registerPasskey } from '../../core/mfa/passkey-registration.js';
import { principal, requestMeta, requireAuth, requireSession } from '../auth.js';
import { body, problems, str } from '../schemas.js';
import { publicUser } from '../views.js';
import { authenticationResponseSchema, creationOptionsSchema, passkeySchema, registrationResponseSchema, requestOptionsSchema } from './passkey-schemas.js';
import { sessionResponse } from './auth-routes.js';
import { stepUpCode, stepUpRule } from './step-up-schema.js';

const security = [{ bearer: [] }];
const tags = ['passkeys'];
const idParam = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['id'] } as const;


export function nativePasskeyRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);
  const anyCredential = requireAuth(core, ['Bearer', 'Token']);

  app.get('/v1/me/passkeys', {
    schema: { tags, summary: 'Your passkeys', description: 'Any credential of the account may list them (no key material is shown).', security, response: { 200: { type: 'array', items: passkeySchema }, ...problems(401, 403) } },
    preHandler: anyCredential,
  }, async (request) => listPasskeys(core, principal(request).user.id));

  app.post('/v1/me/passkeys/options', {
    schema: {
      tags,
      summary: 'Start adding a passkey: creation options',
      description:
        'Adding a passkey adds a lasting way in, so it needs a session (an API token gets 403) and `current_password` (as minting an API token does): ' +
        'a stolen access token alone cannot add one. The options hold a single-use challenge bound to this account that expires in 5 minutes; ' +
        'hand them to `startRegistration({ optionsJSON })` and send its result to `POST /v1/me/passkeys`.' + stepUpRule,
      security,
      body: body({ current_password: str(4096), code: stepUpCode }, ['current_password']),
      response: { 200: creationOptionsSchema, ...problems(400, 401, 403, 409, 429) },
    },
    preHandler: session,
  }, async (request) => {
    const p = principal(request);
    return passkeyRegistrationOptions(core, p.user.id, request.body as { current_password: string; code?: string }, requestMeta(request), p.sessionId);
  });

  app.post('/v1/me/passkeys', {
    schema: {
      tags,
      summary: 'Finish adding a passkey',
      description: 'The browser\'s attestation for the challenge of `POST /v1/me/passkeys/options` (used once, whatever the outcome). The passkey is audited and the account is mailed.',
      security,
      body: body({ response: registrationResponseSchema, name: str(256) }, ['response']),
      response: { 201: passkeySchema, ...problems(400, 401, 403, 409) },
    },
    preHandler: session,
  }, async (request, reply) => {
    const { response, name } = request.body as { response: RegistrationResponseJSON; name?: string };
    const created = await registerPasskey(core, principal(request).user.id, { response, name }, requestMeta(request));
    reply.code(201);
    return created;
  });

  app.patch('/v1/me/passkeys/:id', {
    schema: { tags, summary: 'Rename a passkey', security, params: idParam, body: body({ name: str(256) }, ['name']), response: { 200: passkeySchema, ...problems(400, 401, 403, 404) } },
    preHandler: session,
  }, async (request) => renamePasskey(core, principal(request).user.id, (request.params as { id: string }).id, request.body as { name: string }, requestMeta(request)));

  app.delete('/v1/me/passkeys/:id', {
    schema: {
      tags,
      summary: 'Remove a passkey',
      description: 'Removing a factor needs a session and `current_password` in the body, like adding one. Audited; the account is mailed.' + stepUpRule,
      security,
      params: idParam,
      body: body({ current_password: str(4096), code: stepUpCode }, ['current_password']),
      response: { 204: { type: 'null' }, ...problems(400, 401, 403, 404, 429) },
    },
    preHandler: session,
  }, async (request, reply) => {
    const p = principal(request);
    await removePasskey(core, p.user.id, (request.params as { id: string }).id, request.body as { current_password: string; code?: string }, requestMeta(request), p.sessionId);
    return reply.code(204).send();
  });

  app.post('/v1/auth/passkey/options', {
    schema: {
      tags: ['auth', ...tags],
      summary: 'Start a passwordless sign-in: request options',
      description: 'No account is named: the browser offers the discoverable passkeys it holds for this site. The challenge is single-use and expires in 5 minutes; each call spends the per-IP login budget.',
      response: { 200: requestOptionsSchema, ...problems(429) },
    },
  }, async (request) => passkeyLoginOptions(core, requestMeta(request)));

  app.post('/v1/auth/passkey', {
    schema: {
      tags: ['auth', ...tags],
      summary: 'Sign in with a passkey',
      description:
        'The assertion for a challenge of `POST /v1/auth/passkey/options`, with user verification: a whole login by itself (the access token\'s `amr` says `hwk` or `swk`, `user`, `mfa`). ' +
        'Unknown passkeys, used challenges, bad signatures and a signature counter that did not move forward all answer the same 401.',
      body: body({ response: authenticationResponseSchema }, ['response']),
      response: { 200: sessionResponse, ...problems(400, 401, 403, 429) },
    },
  }, async (request) => {
    const meta = requestMeta(request);
    const verdict = await passkeyLogin(core, (request.body as { response: AuthenticationResponseJSON }).response, meta);
    const result = await establishSession(core, verdict, {}, meta);
    return { ...result.tokens, user: publicUser(result.user, core.config.publicUrl) };
  });
}
