import type { Db } from '../context.js';
import { displayName, type User } from '../users/user.js';
import { deleteUserCodes } from '../../store/codes-repo.js';
import { updateUser } from '../../store/users-repo.js';
import type { RecoveryCtx } from './context.js';
import { issueEmailVerification } from './issue-email-verification.js';
import { mailLocale } from '../locales.js';

/** `jane@example.com` -> `j***@e***.com`: the old address learns of the change without being handed the new one. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return `${email.slice(0, 1)}***`;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

/** Mails the old address (if any) that its account's email is changing; the new one is masked. */
export async function notifyOldAddress(ctx: Pick<RecoveryCtx, 'mailer'>, db: Db, user: User, newEmail: string): Promise<void> {
  if (user.email) await ctx.mailer.enqueue(db, { kind: 'email_change_notice', to: user.email, data: { name: displayName(user), newEmail: maskEmail(newEmail) }, locale: mailLocale(user) });
}

/**
 * A new address waits in `pending_email` until its owner proves it (verifyEmail); the old
 * address, if any, is told, so a hijacked session cannot move an account away silently.
 * Reset codes and links sent before stop working.
 */
export async function requestEmailChange(ctx: Omit<RecoveryCtx, 'db' | 'log'>, db: Db, user: User, newEmail: string): Promise<void> {
  await deleteUserCodes(db, user.id, ['password_reset', 'email_verification']);
  await updateUser(db, user.id, { pending_email: newEmail });
  await issueEmailVerification(ctx, db, { ...user, pending_email: newEmail }, newEmail, 'email_change');
  await notifyOldAddress(ctx, db, user, newEmail);
}
