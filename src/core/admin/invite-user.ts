import { AuthError } from '../errors.js';
import { mailLocale } from '../locales.js';
import { issueCode } from '../recovery/issue-code.js';
import { randomToken } from '../secrets.js';
import { displayName, type User } from '../users/user.js';
import type { AdminActor } from './permissions.js';
import type { UserAdminCtx } from './user-access.js';
import { createUserAsAdmin, type AdminUserInput } from './user-admin.js';

export type InviteInput = Pick<AdminUserInput, 'email' | 'username' | 'first_name' | 'last_name' | 'is_staff'>;

export interface Invitation {
  user: User;
  /** When the set-password link stops working (ms since the epoch). */
  expiresAt: number;
}

const inviteFields = ['email', 'username', 'first_name', 'last_name', 'is_staff'] as const;

/**
 * Invites someone by email: an approved, active account is created as an operator would create it,
 * with a random password nobody is told (so nobody can sign in yet), and the address gets a
 * set-password link that lives `invite_ttl`. Following the link is a password reset: it sets the
 * first password, ends nothing that exists, and marks the address verified since the mail reached
 * it. One transaction: the account, its audit row, the link and the mail exist together or not at
 * all. A second invitation to a taken address is refused like any taken address.
 */
export async function inviteUser(ctx: UserAdminCtx, actor: AdminActor, input: InviteInput): Promise<Invitation> {
  if (typeof input.email !== 'string' || input.email.trim() === '') {
    throw new AuthError('validation_failed', undefined, { email: ['This field is required.'] });
  }
  const picked: InviteInput = {};
  for (const field of inviteFields) if (input[field] !== undefined) (picked as Record<string, unknown>)[field] = input[field];
  const ttlSeconds = ctx.settings.get('invite_ttl');
  let expiresAt = 0;
  const user = await createUserAsAdmin(ctx, actor, { ...picked, password: randomToken(32) }, {
    auditKind: 'admin.user_invited',
    verificationMail: false,
    within: async (trx, created) => {
      const issued = await issueCode(ctx, trx, { purpose: 'password_reset', userId: created.id, email: created.email, ttlSeconds });
      expiresAt = issued.expiresAt;
      const days = String(Math.max(1, Math.round(ttlSeconds / 86400)));
      await ctx.mailer.enqueue(trx, { kind: 'invitation', to: created.email, data: { name: displayName(created), token: issued.linkToken, days, inviter: displayName(actor.user) }, locale: mailLocale(created) });
    },
  });
  return { user, expiresAt };
}
