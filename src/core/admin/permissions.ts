import type { RequestMeta } from '../audit.js';
import { AuthError } from '../errors.js';
import type { User } from '../users/user.js';

/** Who performs an admin action, and from where (for audit rows). */
export interface AdminActor {
  user: User;
  meta: RequestMeta;
}

/** The two admin roles: staff manage users; superusers also change settings and staff flags. */
export type AdminLevel = 'staff' | 'superuser';

export function adminLevelOf(user: User): AdminLevel | undefined {
  if (!user.is_active) return undefined;
  if (user.is_superuser) return 'superuser';
  return user.is_staff ? 'staff' : undefined;
}

/** Refuses a user below `level` (the route-level half of the permission matrix). */
export function assertAdminLevel(user: User, level: AdminLevel): void {
  const has = adminLevelOf(user);
  if (!has) throw new AuthError('permission_denied', 'This needs a staff account.');
  if (level === 'superuser' && has !== 'superuser') throw new AuthError('permission_denied', 'Only a superuser may do this.');
}

/**
 * The account-level half: staff may manage ordinary accounts and their own; only a superuser
 * may manage another staff or superuser account (else staff could take over a superuser).
 */
export function assertMayManage(actor: AdminActor, target: User): void {
  const privileged = target.is_staff || target.is_superuser;
  if (privileged && target.id !== actor.user.id && !actor.user.is_superuser) {
    throw new AuthError('permission_denied', 'Only a superuser may change a staff or superuser account.');
  }
}

/** Refuses an action an operator may not take on their own account (it would lock them out). */
export function assertNotSelf(actor: AdminActor, target: User, what: string): void {
  if (actor.user.id === target.id) throw new AuthError('permission_denied', `You cannot ${what} your own account.`);
}
