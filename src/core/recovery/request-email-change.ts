import type { Core } from '../core.js';
import type { Db } from '../context.js';
import { displayName, type User } from '../users/user.js';
import { updateUser } from '../../store/users-repo.js';
import { issueEmailVerification } from './issue-email-verification.js';

/**
 * A new address waits in `pending_email` until its owner proves it (verifyEmail); the old
 * address, if any, is told, so a hijacked session cannot move an account away silently.
 */
export async function requestEmailChange(core: Core, db: Db, user: User, newEmail: string): Promise<void> {
  await updateUser(db, user.id, { pending_email: newEmail });
  await issueEmailVerification(core, db, { ...user, pending_email: newEmail }, newEmail, 'email_change');
  if (user.email) await core.mailer.enqueue(db, { kind: 'email_change_notice', to: user.email, data: { name: displayName(user), newEmail } });
}
