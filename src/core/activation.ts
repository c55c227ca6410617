import type { Core } from './core.js';
import { AuthError } from './errors.js';
import type { User } from './users/user.js';

type SettingsCtx = Pick<Core, 'settings'>;

export function modeRequiresEmail(ctx: SettingsCtx): boolean {
  return ctx.settings.get('activation_mode').includes('email');
}

export function modeRequiresAdmin(ctx: SettingsCtx): boolean {
  return ctx.settings.get('activation_mode').includes('admin');
}

/** Why an account with the right credentials may still not log in. */
export type LoginBlock = 'account_inactive' | 'account_not_approved' | 'email_not_verified';

/** What keeps this account from logging in now, or undefined when nothing does. */
export function loginBlock(ctx: SettingsCtx, user: User): LoginBlock | undefined {
  if (!user.is_active) return 'account_inactive';
  if (modeRequiresAdmin(ctx) && !user.approved) return 'account_not_approved';
  if (modeRequiresEmail(ctx) && !user.email_verified) return 'email_not_verified';
  return undefined;
}

const blockMessages: Record<LoginBlock, string> = {
  account_inactive: 'This account is disabled.',
  // The native API answers with seed 002's words here (test/recovery/activation-modes.test.ts pins them).
  account_not_approved: 'the user is not activated',
  email_not_verified: 'Verify your email address before logging in.',
};

/** The error a block answers with; its code is the block. */
export function blockedError(block: LoginBlock): AuthError {
  return new AuthError(block, blockMessages[block]);
}

/** Why this account may not log in now, or undefined when it may. */
export function loginBlocker(ctx: SettingsCtx, user: User): AuthError | undefined {
  const block = loginBlock(ctx, user);
  return block && blockedError(block);
}
