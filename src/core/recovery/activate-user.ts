import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { displayName, type User } from '../users/user.js';
import { findUserById, updateUser } from '../../store/users-repo.js';
import type { RecoveryCtx } from './context.js';
import { mailLocale } from '../locales.js';

/** What activating needs: the database, a clock, mail, a log, and the user cache to invalidate. */
export type ActivationCtx = Pick<RecoveryCtx, 'db' | 'clock' | 'mailer' | 'log'> & Pick<Core, 'users'>;

/**
 * An administrator lets an account in (activation modes `admin` and `email+admin`, and
 * re-enabling a disabled account): approved and active, audited, and the owner is told by mail.
 * Activating an account that is already active changes nothing and sends nothing.
 */
export async function activateUser(core: ActivationCtx, userId: number, actorId: number | null, meta: RequestMeta): Promise<User> {
  const user = await findUserById(core.db, userId);
  if (!user) throw new AuthError('not_found', 'No such user.');
  if (user.approved && user.is_active) return user;
  const now = core.clock.now();
  const updated = await inTransaction(core, async (trx) => {
    const changed = await updateUser(trx, userId, { approved: 1, is_active: 1, updated_at: now });
    await afterCommit(core, trx, () => core.users.invalidate(userId));
    await recordAudit(trx, { kind: 'admin.user_activated', at: now, userId, actorId, ip: meta.ip, userAgent: meta.userAgent, detail: { was_approved: user.approved, was_active: user.is_active } });
    if (user.email) await core.mailer.enqueue(trx, { kind: 'account_activated', to: user.email, data: { name: displayName(user) }, locale: mailLocale(user) });
    return changed;
  });
  if (!updated) throw new AuthError('not_found', 'No such user.');
  return updated;
}
