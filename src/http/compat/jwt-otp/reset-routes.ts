import { requestPasswordReset, resetPasswordWithProof, verifyPasswordResetCode } from '../../../core/recovery/index.js';
import { requestMeta } from '../../auth.js';
import type { DrfErrorOptions } from '../drf-errors.js';
import type { CompatRoute } from '../profile.js';
import { simpleJwtChallenge } from '../simplejwt/errors.js';
import { fields, nonBlank } from '../views.js';
import { messageSchema, seedFieldNames } from './views.js';

const errors: DrfErrorOptions = { challenge: simpleJwtChallenge, fieldNames: seedFieldNames };

/**
 * Seed 002's reset flow: the email request answers a token (the reset request's handle, a
 * decoy for unknown addresses), the mailed OTP is checked against it, then the same token
 * sets the new password.
 */
export const resetRoutes: CompatRoute[] = [
  {
    method: 'POST',
    path: '/auth/email_request/',
    summary: 'Mail a password-reset code',
    description: 'Always answers a token, whether or not an account uses the address (no mail is sent then).',
    body: fields({ email: nonBlank(254) }, ['email']),
    response: { 200: { type: 'object', properties: { token: { type: 'string' }, message: { type: 'string' } } } },
    errors,
    async handler(core, request) {
      const { requestId } = await requestPasswordReset(core, { email: (request.body as { email: string }).email }, requestMeta(request));
      return { token: requestId, message: 'Password reset link sent to email.' };
    },
  },
  {
    method: 'POST',
    path: '/auth/check_otp/',
    summary: 'Check the mailed code',
    description: 'A random code with a limited number of attempts; after the last wrong one even the right code fails.',
    body: fields({ token: nonBlank(128), otp: nonBlank(32) }, ['token', 'otp']),
    response: { 200: messageSchema },
    errors,
    async handler(core, request) {
      const { token, otp } = request.body as { token: string; otp: string };
      await verifyPasswordResetCode(core, { requestId: token, otp }, requestMeta(request));
      return { message: 'OTP is valid.' };
    },
  },
  {
    method: 'POST',
    path: '/auth/reset_password/',
    summary: 'Set a new password (after the code was checked)',
    description: 'Every session of the account ends; the password policy applies.',
    body: fields({ token: nonBlank(128), new_password: nonBlank(4096) }, ['token', 'new_password']),
    response: { 200: messageSchema },
    errors,
    async handler(core, request) {
      const { token, new_password } = request.body as { token: string; new_password: string };
      await resetPasswordWithProof(core, { requestId: token, newPassword: new_password }, requestMeta(request));
      return { message: 'The Password has been reset successfully.' };
    },
  },
];
