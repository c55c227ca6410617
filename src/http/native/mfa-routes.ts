import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { deviceCookieName, deviceTokenDays } from '../../core/device-tokens.js';
import { fieldError } from '../../core/errors.js';
import { establishSession } from '../../core/login.js';
import { redeemMfaToken } from '../../core/mfa/mfa-token.js';
import { useRecoveryCode } from '../../core/mfa/recovery-codes.js';
import { verifyTotpCode } from '../../core/mfa/totp.js';
import { secureCookies } from '../admin/admin-auth.js';
import { requestMeta } from '../auth.js';
import { body, problems, ref, str } from '../schemas.js';
import { publicUser } from '../views.js';

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
      response: {
        200: { type: 'object', properties: { access_token: { type: 'string' }, refresh_token: { type: 'string' }, token_type: { type: 'string' }, expires_in: { type: 'integer' }, user: ref('PublicUser'), device_token: { type: 'string' } } },
        ...problems(400, 401, 403, 429),
      },
    },
  }, async (request, reply) => {
    const { mfa_token, code, recovery_code } = request.body as { mfa_token: string; code?: string; recovery_code?: string };
    if ((code === undefined) === (recovery_code === undefined)) throw fieldError({ code: ['Send exactly one of code and recovery_code.'] });
    const meta = requestMeta(request);
    const success = code !== undefined
      ? await redeemMfaToken(core, mfa_token, 'totp', (userId) => verifyTotpCode(core, userId, code), meta)
      : await redeemMfaToken(core, mfa_token, 'recovery_code', (userId) => useRecoveryCode(core, userId, recovery_code, meta), meta);
    const result = await establishSession(core, success, { issueDeviceToken: true }, meta);
    if (result.deviceToken) {
      reply.header('set-cookie', fastifyCookie.serialize(deviceCookieName, result.deviceToken, {
        httpOnly: true, secure: secureCookies(core.config), sameSite: 'strict', path: '/v1/auth/login', maxAge: deviceTokenDays * 86_400,
      }));
    }
    return { ...result.tokens, user: publicUser(result.user, core.config.publicUrl), device_token: result.deviceToken };
  });
}
