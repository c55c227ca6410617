import { modeRequiresEmail } from './activation.js';
import type { Core } from './core.js';
import type { Db } from './context.js';
import { issueEmailVerification } from './recovery/issue-email-verification.js';
import { notifyOldAddress, requestEmailChange } from './recovery/request-email-change.js';
import { deleteUserCodes } from './recovery/code-rows.js';
import type { User } from './users/user.js';

/**
 * Runs inside the registration transaction, after the user row exists: when the activation
 * mode asks for a verified address, the verification mail is queued with the account.
 */
export async function afterRegistration(core: Core, db: Db, user: User): Promise<void> {
  if (modeRequiresEmail(core) && user.email && !user.email_verified) await issueEmailVerification(core, db, user, user.email, 'email_verification');
}

/**
 * Runs inside the profile-update transaction when the email changes. Always false: the new
 * address waits in `pending_email` until verified, and the old address is notified.
 */
export async function beforeEmailChange(core: Core, db: Db, user: User, newEmail: string): Promise<boolean> {
  await requestEmailChange(core, db, user, newEmail);
  return false;
}

/**
 * Runs inside the profile-update transaction when an email is replaced at once (profiles with
 * `emailChange: 'direct'`): codes and reset links sent before stop working, and the old address is told.
 */
export async function afterDirectEmailChange(core: Core, db: Db, user: User, newEmail: string): Promise<void> {
  await deleteUserCodes(db, user.id, ['password_reset', 'email_verification', 'email_change']);
  await notifyOldAddress(core, db, user, newEmail);
}
