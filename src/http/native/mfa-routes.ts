import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { fieldError } from '../../core/errors.js';
import { redeemWithCodeInto } from '../../core/mfa/code-second-factor.js';
import { requestMeta } from '../auth.js';
import { body, problems, str } from '../schemas.js';
import { answerSecondStep, secondStepResponse } from './mfa-session.js';

const tags = ['auth'];

/** The second step of a native login: the mfa_token of `mfa_required` plus a TOTP code or a recovery code. */
export function nativeMfaRoutes(app: FastifyInstance, core: Core): void {
  app.post('/v1/auth/mfa/verify', {
    schema: {
      tags,
      summary: 'Finish a login with a second factor',
      description:
        'Send the `mfa_token` of a `mfa_required` login answer with exactly one of `code` (the authenticator app\'s 6 digits) or `recovery_code`. ' +
        'Answers like a successful login. A wrong code spends one of the token\'s attempts and counts toward the account lock (`invalid_mfa_code`); ' +
        'an unknown, expired, used or exhausted token is `mfa_token_invalid`.',
      body: body({ mfa_token: str(128), code: str(16), recovery_code: str(64) }, ['mfa_token']),
      response: { 200: secondStepResponse, ...problems(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const { mfa_token, code, recovery_code } = request.body as { mfa_token: string; code?: string; recovery_code?: string };
    if ((code === undefined) === (recovery_code === undefined)) throw fieldError({ code: ['Send exactly one of code and recovery_code.'] });
    const meta = requestMeta(request);
    const [factor, typed] = code !== undefined ? ['totp' as const, code] : ['recovery_code' as const, recovery_code!];
    return redeemWithCodeInto(core, mfa_token, factor, typed, meta, (success, transaction) => answerSecondStep(core, reply, success, meta, transaction));
  });
}
