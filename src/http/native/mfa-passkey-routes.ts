import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { passkeySecondFactorStep, redeemWithPasskey } from '../../core/mfa/passkey-second-factor.js';
import { requestMeta } from '../auth.js';
import { body, problems, str } from '../schemas.js';
import { answerSecondStep, secondStepResponse } from './mfa-session.js';
import { authenticationResponseSchema, requestOptionsSchema } from './passkey-schemas.js';

const tags = ['auth', 'passkeys'];

/** The second step of a native login with a passkey: options for the `mfa_token` of `mfa_required`, then its assertion. */
export function nativeMfaPasskeyRoutes(app: FastifyInstance, core: Core): void {
  app.post('/v1/auth/mfa/passkey/options', {
    schema: {
      tags,
      summary: 'Start a passkey second factor: request options',
      description:
        'For the `mfa_token` of a `mfa_required` login whose `factors` include `passkey`: WebAuthn request options listing only that account\'s passkeys ' +
        '(`allowCredentials`), with a single-use challenge bound to this token that expires in 5 minutes. Hand them to `startAuthentication({ optionsJSON })` ' +
        'and send its result to `POST /v1/auth/mfa/passkey`. Each call spends the per-IP login budget. An unknown, expired, used or exhausted token, ' +
        'or one whose account has no passkey, is `mfa_token_invalid`.',
      body: body({ mfa_token: str(128) }, ['mfa_token']),
      response: { 200: requestOptionsSchema, ...problems(400, 401, 429) },
    },
  }, async (request) => passkeySecondFactorStep(core, (request.body as { mfa_token: string }).mfa_token, requestMeta(request)));

  app.post('/v1/auth/mfa/passkey', {
    schema: {
      tags,
      summary: 'Finish a login with a passkey as second factor',
      description:
        'The `mfa_token` and the assertion for a challenge of `POST /v1/auth/mfa/passkey/options` for that same token. Answers like `POST /v1/auth/mfa/verify` ' +
        '(the access token\'s `amr`: `pwd`, the passkey\'s `hwk` or `swk`, `user` when the authenticator verified the user, `mfa`). ' +
        'A refused assertion (another account\'s passkey, a challenge of another token or of a passwordless sign-in, a used challenge, a bad signature) ' +
        'spends one of the token\'s attempts and counts toward the account lock (`invalid_mfa_code`); an unknown, expired, used or exhausted token is `mfa_token_invalid`.',
      body: body({ mfa_token: str(128), response: authenticationResponseSchema }, ['mfa_token', 'response']),
      response: { 200: secondStepResponse, ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const { mfa_token, response } = request.body as { mfa_token: string; response: AuthenticationResponseJSON };
    const meta = requestMeta(request);
    return answerSecondStep(core, reply, await redeemWithPasskey(core, mfa_token, response, meta), meta);
  });
}
