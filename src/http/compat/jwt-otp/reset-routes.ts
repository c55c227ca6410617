import { requestPasswordReset, resetPasswordWithProof, verifyPasswordResetCode } from '../../../core/recovery/index.js';
import { requestMeta } from '../../auth.js';
import type { CompatRoute } from '../profile.js';
import { fields, nonBlank } from '../views.js';
import { checkOtpErrors, emailRequestErrors, resetErrors } from './errors.js';
import { detailMessageSchema } from './views.js';

/** The seed's client has five input cells for the code. */
const codeDigits = 5;

/**
 * Seed 002's reset flow: the email request answers a token (the reset request's handle, a
 * decoy for unknown addresses), the mailed OTP is checked against it, then the same token
 * sets the new password. Statuses as the seed's code answers (201 where it creates); bodies
 * carry both the code's keys (`user`, `detail`) and the README's (`message`).
 */
export const resetRoutes: CompatRoute[] = [
  {
    method: 'POST',
    path: '/auth/email_request/',
    summary: 'Mail a password-reset code',
    description: 'Always answers a token, whether or not an account uses the address (no mail is sent then). The mailed code has 5 digits, as the seed\'s.',
    body: fields({ email: nonBlank(254) }, ['email']),
    response: { 201: { type: 'object', properties: { user: { type: 'string' }, token: { type: 'string' }, message: { type: 'string' } } } },
    errors: emailRequestErrors,
    async handler(core, request, reply) {
      const { email } = request.body as { email: string };
      const { requestId } = await requestPasswordReset(core, { email }, requestMeta(request), { codeDigits });
      reply.code(201);
      return { user: email, token: requestId, message: 'Password reset link sent to email.' };
    },
  },
  {
    method: 'POST',
    path: '/auth/check_otp/',
    summary: 'Check the mailed code',
    description: 'A random code with a limited number of attempts; after the last wrong one even the right code fails.',
    body: fields({ token: nonBlank(128), otp: nonBlank(32) }, ['token', 'otp']),
    response: { 200: detailMessageSchema },
    errors: checkOtpErrors,
    async handler(core, request) {
      const { token, otp } = request.body as { token: string; otp: string };
      await verifyPasswordResetCode(core, { requestId: token, otp }, requestMeta(request));
      return { detail: 'The OTP is valid .', message: 'OTP is valid.' };
    },
  },
  {
    method: 'POST',
    path: '/auth/reset_password/',
    summary: 'Set a new password (after the code was checked)',
    description: 'Every session of the account ends; the password policy applies.',
    body: fields({ token: nonBlank(128), new_password: nonBlank(4096) }, ['token', 'new_password']),
    response: { 201: detailMessageSchema },
    errors: resetErrors,
    async handler(core, request, reply) {
      const { token, new_password } = request.body as { token: string; new_password: string };
      await resetPasswordWithProof(core, { requestId: token, newPassword: new_password }, requestMeta(request));
      reply.code(201);
      return { detail: 'The Password reseted successfully .', message: 'The Password has been reset successfully.' };
    },
  },
];
