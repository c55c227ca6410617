import { recordAudit } from '../audit.js';
import type { Core } from '../core.js';
import { endAccess, endedDetail, type EndAccessCtx } from '../end-access.js';
import { inTransaction } from '../transaction.js';
import { displayName } from '../users/user.js';
import { deleteUserPasskeys, listUserPasskeys } from '../../store/passkeys-repo.js';
import { deleteGrace } from '../../store/mfa-requirement-repo.js';
import { mfaRequiredFor } from '../mfa/enrolment-requirement.js';
import { assertMayManage, type AdminActor } from './permissions.js';
import { requireTarget } from './user-access.js';
import { totpFactorsOf, deleteTotpFactors } from '../mfa/totp-factors.js';

/** An account's second factors as an operator sees them (no secret, no key material). */
export interface UserFactors {
  totp: { enrolled: boolean; enrolledAt: number | null };
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: number; lastUsedAt: number | null }[];
  /** A "require MFA" setting applies to the account. */
  required: boolean;
}

export type UserMfaCtx = Pick<Core, 'db' | 'settings'>;

/** The account's factors; 404 for no such account. Any staff member may look (it shows no secrets). */
export async function userFactors(ctx: UserMfaCtx, userId: number): Promise<UserFactors> {
  const user = await requireTarget(ctx, userId);
  const [totp, passkeys] = await Promise.all([totpFactorsOf(ctx.db, user.id), listUserPasskeys(ctx.db, user.id)]);
  return {
    totp: { enrolled: totp.enrolledAt !== null, enrolledAt: totp.enrolledAt },
    recoveryCodesLeft: totp.recoveryCodesLeft,
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
    required: mfaRequiredFor(ctx, user),
  };
}

export type ResetMfaCtx = EndAccessCtx & Pick<Core, 'db' | 'clock' | 'mailer'>;

/**
 * Removes every second factor of the account (TOTP, recovery codes, passkeys) and ends its access,
 * in one transaction: whoever held a session on the strength of a lost factor is out. Audited, and
 * the account is told by mail when anything was removed. A "require MFA" grace starts afresh at its next login.
 */
export async function resetUserMfa(ctx: ResetMfaCtx, actor: AdminActor, userId: number): Promise<{ totpRemoved: boolean; recoveryCodesRemoved: number; passkeysRemoved: number }> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const totp = await deleteTotpFactors(trx, userId);
    const passkeysRemoved = await deleteUserPasskeys(trx, userId);
    await deleteGrace(trx, userId);
    const ended = await endAccess(ctx, trx, userId, 'mfa_reset');
    const removed = { totpRemoved: totp.totpRemoved, recoveryCodesRemoved: totp.recoveryCodesRemoved, passkeysRemoved };
    await recordAudit(trx, {
      kind: 'admin.mfa_reset', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent,
      detail: { totp_removed: totp.totpRemoved, recovery_codes_removed: totp.recoveryCodesRemoved, passkeys_removed: passkeysRemoved, ...endedDetail(ended) },
    });
    // Told once: a repeated (or concurrent) reset that found nothing left mails nothing.
    if (target.email && (totp.totpRemoved || totp.recoveryCodesRemoved > 0 || passkeysRemoved > 0)) {
      await ctx.mailer.enqueue(trx, {
        kind: 'sign_in_method_changed',
        to: target.email,
        data: { name: displayName(target), all: '1' },
        locale: target.locale,
      });
    }
    return removed;
  });
}
