import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { RequestMeta } from '../../core/audit.js';
import type { Core } from '../../core/core.js';
import { deviceCookieName, deviceTokenDays } from '../../core/device-tokens.js';
import { establishSession } from '../../core/login.js';
import type { LoginTransaction } from '../../core/login/establish-session.js';
import type { LoginSuccess } from '../../core/login/verdict.js';
import { secureCookies } from '../admin/admin-auth.js';
import { publicUser } from '../views.js';
import { sessionResponse } from './auth-routes.js';

/** The answer of a finished second step (a code or a passkey): the session answer plus the device token. */
export const secondStepResponse = { type: 'object', properties: { ...sessionResponse.properties, device_token: { type: 'string' } } } as const;

const secondStepSession = { issueDeviceToken: true } as const;

/**
 * Opens the session of a login its second factor finished, as a password login does: a device
 * token in the body and as the HttpOnly `gh_device` cookie, sent only to the login route.
 * `transaction`: the redemption's (redeemWithCodeInto), so the token, the factor and the session commit together.
 */
export async function answerSecondStep(core: Core, reply: FastifyReply, success: LoginSuccess, meta: RequestMeta, transaction?: LoginTransaction) {
  const result = await establishSession(core, success, secondStepSession, meta, transaction);
  if (result.deviceToken) {
    reply.header('set-cookie', fastifyCookie.serialize(deviceCookieName, result.deviceToken, {
      httpOnly: true, secure: secureCookies(core.config), sameSite: 'strict', path: '/v1/auth/login', maxAge: deviceTokenDays * 86_400,
    }));
  }
  return { ...result.tokens, user: publicUser(result.user, core.config.publicUrl), device_token: result.deviceToken };
}
