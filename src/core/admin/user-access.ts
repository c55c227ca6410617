import { recordAudit } from '../audit.js';
import type { Core } from '../core.js';
import type { Db } from '../context.js';
import { AuthError } from '../errors.js';
import { setPassword, type AccountCtx } from '../account.js';
import type { RegisterCtx } from '../register.js';
import { activateUser, requestPasswordReset } from '../recovery/index.js';
import { endAccess, endedDetail } from '../end-access.js';
import { revokeSessions } from '../sessions.js';
import { afterCommit, inTransaction } from '../transaction.js';
import type { User } from '../users/user.js';
import { findUserById, updateUser } from '../../store/users-repo.js';
import { assertMayManage, assertNotSelf, type AdminActor } from './permissions.js';

/** What an operator's account actions need: what the account and registration use cases take, and activation and reset mail. */
export type UserAdminCtx = AccountCtx & RegisterCtx & Parameters<typeof activateUser>[0] & Parameters<typeof requestPasswordReset>[0];

/** The account an admin action is about, or 404. */
export async function requireTarget(ctx: Pick<Core, 'db'>, userId: number, db: Db = ctx.db): Promise<User> {
  const user = Number.isSafeInteger(userId) && userId > 0 ? await findUserById(db, userId) : undefined;
  if (!user) throw new AuthError('not_found', 'No such user.');
  return user;
}

/** Deactivation: the account may no longer log in, and every session and token it holds stops working now. */
export async function deactivateUser(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<User> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  assertNotSelf(actor, target, 'deactivate');
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const user = await updateUser(trx, userId, { is_active: 0, updated_at: now });
    const ended = await endAccess(ctx, trx, userId, 'deactivated');
    await recordAudit(trx, { kind: 'admin.user_deactivated', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: endedDetail(ended) });
    return user!;
  });
}

/**
 * "Revoke everything": every session, API token, login key, console session and pending code of
 * the account ends (it may log in again). Answers the number of sessions ended.
 */
export async function revokeUserSessions(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<number> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const ended = await endAccess(ctx, trx, userId, 'revoked_by_admin');
    await recordAudit(trx, { kind: 'admin.sessions_revoked', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { sessions: ended.sessions.length, ...endedDetail(ended) } });
    return ended.sessions.length;
  });
}

/** Ends one session of the account; 404 when it is not a live session of that account. */
export async function revokeUserSession(ctx: UserAdminCtx, actor: AdminActor, userId: number, sessionId: string): Promise<void> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  const now = ctx.clock.now();
  await inTransaction(ctx, async (trx) => {
    const ended = await revokeSessions(ctx, { userId, sessionIds: [sessionId] }, 'revoked_by_admin', trx);
    if (ended.length === 0) throw new AuthError('not_found', 'No such session.');
    await recordAudit(trx, { kind: 'session.revoked', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { session: sessionId } });
  });
}

/** Lifts a lock from failed logins and resets the failure count. */
export async function clearLoginLock(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<User> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const user = await updateUser(trx, userId, { failed_logins: 0, locked_until: null, updated_at: now });
    await recordAudit(trx, { kind: 'admin.lock_cleared', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { failed_logins: target.failed_logins, locked_until: target.locked_until } });
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
    return user!;
  });
}

/** Marks the account's current email address as verified. */
export async function markEmailVerified(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<User> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  if (!target.email) throw new AuthError('validation_failed', 'The account has no email address.', { email: ['The account has no email address.'] });
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const user = await updateUser(trx, userId, { email_verified: 1, updated_at: now });
    await recordAudit(trx, { kind: 'email.verified', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { email: target.email, by_admin: true } });
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
    return user!;
  });
}

/** Sets a password chosen by the operator (policy applies); the account's sessions, tokens and pending codes end. */
export async function setPasswordAsAdmin(ctx: UserAdminCtx, actor: AdminActor, userId: number, password: unknown): Promise<void> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  if (typeof password !== 'string' || password === '') throw new AuthError('validation_failed', undefined, { password: ['This field is required.'] });
  if (password.length > ctx.config.passwordMaxLength) {
    throw new AuthError('validation_failed', undefined, { password: [`Ensure this field has no more than ${ctx.config.passwordMaxLength} characters.`] });
  }
  await setPassword(ctx, target, password, actor.meta, { field: 'password', actorId: actor.user.id, kind: 'admin.password_set' });
}

/** Approves (and re-enables) the account; the owner is told by mail. Already active accounts are left alone. */
export async function activateUserAsAdmin(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<User> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  return activateUser(ctx, userId, actor.user.id, actor.meta);
}

/** Mails the account a password-reset code and link, exactly as "forgot password" would. */
export async function sendPasswordResetMail(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<void> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  if (!target.email) throw new AuthError('validation_failed', 'The account has no email address.', { email: ['The account has no email address.'] });
  if (!target.is_active) throw new AuthError('account_inactive', 'A disabled account cannot reset its password; activate it first.');
  await requestPasswordReset(ctx, { email: target.email }, actor.meta);
}
