import type { FastifyReply, FastifyRequest } from 'fastify';
import { establishSession, type LoginSuccess } from '../../core/login.js';
import type { LoginTransaction } from '../../core/login/establish-session.js';
import { completePasswordLogin } from '../../core/mfa/password-login.js';
import { requestMeta } from '../../http/auth.js';
import type { Hosted } from './hosted-context.js';
import { finishStep } from './interaction-kit.js';

/** Ends the sign-in step of an interaction, after the password alone or after the second factor too (in its redemption's `transaction`). */
export async function finishSignIn(h: Hosted, request: FastifyRequest, reply: FastifyReply, success: LoginSuccess & { amr?: readonly string[] }, by: 'password' | 'second_factor', transaction?: LoginTransaction): Promise<FastifyReply> {
  // A password alone: the "require MFA" settings decide (past the grace, the account is refused).
  const result = by === 'password' ? await completePasswordLogin(h.core, success, {}, requestMeta(request)) : await establishSession(h.core, success, {}, requestMeta(request), transaction);
  const sessionId = result.tokens!.session_id;
  const amr = success.amr?.length ? [...success.amr] : ['pwd'];
  return finishStep(h.provider, request, reply, { login: { accountId: String(result.user.id), amr, remember: true }, gatehouse: { sessionId } });
}
