import { confirmPassword, type AccountCtx } from '../account.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import type { MailRequest } from '../context.js';
import { AuthError, fieldError } from '../errors.js';
import { mailLocale } from '../locales.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { displayName, type User } from '../users/user.js';
import { confirmTotp, deleteUserTotpFactors, findTotp, hasConfirmedTotp, savePendingTotp } from '../../store/mfa-repo.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import { requireCode } from './step-up.js';
import { matchingStep, newTotpSecret, otpauthUri, sealTotpSecret, unsealTotpSecret } from './totp.js';

/** What managing an authenticator app uses: the account's password check, the secret key, mail. */
export type TotpEnrolmentCtx = AccountCtx & Pick<Core, 'secretKey'>;

/** The sign-in-method notice (its template words the facts: `totp` with `added` or `removed`, or `recovery_codes` issued). */
function methodMail(user: User, change: 'added' | 'removed' | 'recovery_codes'): MailRequest {
  const facts: Record<string, string> = change === 'recovery_codes' ? { recovery_codes: '1' } : { totp: '1', [change]: '1' };
  return { kind: 'sign_in_method_changed', to: user.email, locale: mailLocale(user), data: { name: displayName(user), ...facts } };
}

/**
 * Starts enrolling an authenticator app: needs the current password; a new secret (sealed) waits
 * for its first code, replacing one that never got it. An account with a confirmed app is refused
 * (409): remove it first. The secret is shown here only.
 */
export async function startTotpEnrolment(ctx: TotpEnrolmentCtx, userId: number, input: { current_password: unknown }, meta: RequestMeta): Promise<{ secret: string; otpauthUri: string }> {
  const user = await confirmPassword(ctx, userId, input.current_password, 'current_password', meta);
  const secret = newTotpSecret();
  const now = ctx.clock.now();
  if (!(await savePendingTotp(ctx.db, userId, sealTotpSecret(ctx, secret), now))) throw new AuthError('conflict', 'An authenticator app is already enrolled; remove it first.');
  await recordAudit(ctx.db, { kind: 'mfa.totp_enrolment_started', at: now, userId, ip: meta.ip, userAgent: meta.userAgent });
  return { secret, otpauthUri: otpauthUri(secret, ctx.config.productName, user.email || user.username) };
}

/**
 * Confirms the pending secret with a code from the app (its step is spent), and issues the ten
 * recovery codes (shown once) in the same transaction; audited, mailed.
 */
export async function confirmTotpEnrolment(ctx: TotpEnrolmentCtx, userId: number, input: { code: unknown }, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const pending = await findTotp(ctx.db, userId);
  if (!pending || pending.confirmed_at !== null) throw new AuthError('conflict', pending ? 'The authenticator app is already confirmed.' : 'Start with POST /v1/me/mfa/totp.');
  const step = matchingStep(unsealTotpSecret(ctx, pending.secret_enc), input.code, ctx.clock.now());
  if (step === undefined) throw fieldError({ code: ['Wrong code.'] }, 'The code is invalid');
  const now = ctx.clock.now();
  const user = await ctx.users.get(userId);
  const recoveryCodes = await inTransaction(ctx, async (trx) => {
    if (!(await confirmTotp(trx, userId, step, now))) throw new AuthError('conflict', 'The authenticator app is already confirmed.');
    const codes = await issueRecoveryCodes(ctx, trx, userId);
    await recordAudit(trx, { kind: 'mfa.totp_enrolled', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { recovery_codes: codes.length } });
    await recordAudit(trx, { kind: 'mfa.recovery_codes_generated', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { count: codes.length } });
    if (user?.email) await ctx.mailer.enqueue(trx, methodMail(user, 'added'));
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
    return codes;
  });
  return { recoveryCodes };
}

/** Removes the authenticator app and its recovery codes: needs the current password and a current code; audited, mailed. */
export async function removeTotp(ctx: TotpEnrolmentCtx, userId: number, input: { current_password: unknown; code: unknown }, meta: RequestMeta): Promise<void> {
  if (!(await hasConfirmedTotp(ctx.db, userId))) throw new AuthError('not_found', 'No authenticator app is enrolled.');
  const user = await confirmPassword(ctx, userId, input.current_password, 'current_password', meta);
  await requireCode(ctx, userId, input.code, ['totp'], meta);
  const now = ctx.clock.now();
  await inTransaction(ctx, async (trx) => {
    const removed = await deleteUserTotpFactors(trx, userId);
    await recordAudit(trx, { kind: 'mfa.totp_removed', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { recovery_codes_removed: removed.recoveryCodesRemoved } });
    if (user.email) await ctx.mailer.enqueue(trx, methodMail(user, 'removed'));
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
  });
}

/**
 * A new set of recovery codes replaces the whole old set: needs the current password or a current
 * code of the app (either proves the person at the keyboard); audited, mailed.
 */
export async function regenerateRecoveryCodes(ctx: TotpEnrolmentCtx, userId: number, input: { current_password?: unknown; code?: unknown }, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasConfirmedTotp(ctx.db, userId))) throw new AuthError('conflict', 'Recovery codes come with an authenticator app; enrol one first.');
  if (input.current_password === undefined && input.code === undefined) throw fieldError({ current_password: ['Send current_password or code.'], code: ['Send current_password or code.'] });
  if (input.current_password !== undefined) await confirmPassword(ctx, userId, input.current_password, 'current_password', meta);
  if (input.code !== undefined) await requireCode(ctx, userId, input.code, ['totp'], meta);
  const user = await ctx.users.get(userId);
  const now = ctx.clock.now();
  const recoveryCodes = await inTransaction(ctx, async (trx) => {
    const codes = await issueRecoveryCodes(ctx, trx, userId);
    await recordAudit(trx, { kind: 'mfa.recovery_codes_generated', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { count: codes.length } });
    if (user?.email) await ctx.mailer.enqueue(trx, methodMail(user, 'recovery_codes'));
    return codes;
  });
  return { recoveryCodes };
}
