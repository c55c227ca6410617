/** Account recovery, email verification and admin activation: the use cases routes and profiles call. */
export { requestPasswordReset } from './request-password-reset.js';
export { verifyPasswordResetCode, type ResetGrant } from './verify-password-reset-code.js';
export { resetPasswordWithProof, type ResetProof } from './reset-password-with-proof.js';
export { requestEmailVerification } from './request-email-verification.js';
export { verifyEmail } from './verify-email.js';
export { activateUser } from './activate-user.js';
