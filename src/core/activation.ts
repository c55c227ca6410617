import type { Core } from './core.js';
import { AuthError } from './errors.js';
import type { User } from './users/user.js';

export function modeRequiresEmail(core: Core): boolean {
  return core.settings.get('activation_mode').includes('email');
}

export function modeRequiresAdmin(core: Core): boolean {
  return core.settings.get('activation_mode').includes('admin');
}

/** Why this account may not log in now, or undefined when it may. */
export function loginBlocker(core: Core, user: User): AuthError | undefined {
  if (!user.is_active) return new AuthError('account_inactive', 'This account is disabled.');
  if (modeRequiresAdmin(core) && !user.approved) return new AuthError('account_not_approved', 'the user is not activated');
  if (modeRequiresEmail(core) && !user.email_verified) return new AuthError('email_not_verified', 'Verify your email address before logging in.');
  return undefined;
}
