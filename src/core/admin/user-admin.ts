import { recordAudit, type AuditKind } from '../audit.js';
import type { Db } from '../context.js';
import { AuthError, FieldErrorBag } from '../errors.js';
import { emailTakenMessage, register, usernameTakenMessage } from '../register.js';
import { checkProfile, profileFields, type ProfileInput } from '../users/profile.js';
import { emailKey, normalizeEmail } from '../users/normalize.js';
import { afterDirectEmailChange } from '../verification-hooks.js';
import { loginNameColumns } from '../users/skeleton.js';
import type { User } from '../users/user.js';
import { takenField } from '../users/taken.js';
import { deleteUser, emailTaken, updateUser, usernameTaken, type UserPatch } from '../../store/users-repo.js';
import { assertMayManage, assertNotSelf, type AdminActor } from './permissions.js';
import { endAccess, endedDetail } from '../end-access.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { requireTarget, type UserAdminCtx } from './user-access.js';

/** Flags an operator sets directly; `approved` moves only through activation (which mails the user). */
export interface AdminFlags {
  is_active?: boolean;
  is_staff?: boolean;
  is_superuser?: boolean;
  email_verified?: boolean;
}

export type AdminUserInput = ProfileInput & AdminFlags;

const flagNames = ['is_active', 'is_staff', 'is_superuser', 'email_verified'] as const;
const selfLosses = { is_active: 'deactivate', is_staff: 'remove staff status from', is_superuser: 'remove superuser status from', email_verified: '' };

function checkFlags(input: AdminFlags, errors: FieldErrorBag): void {
  for (const flag of flagNames) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') errors.add(flag, 'Must be a valid boolean.');
  }
}

function assertMayGrant(actor: AdminActor, input: AdminFlags): void {
  if ((input.is_staff !== undefined || input.is_superuser !== undefined) && !actor.user.is_superuser) {
    throw new AuthError('permission_denied', 'Only a superuser may change staff or superuser flags.');
  }
}

/** What another operator use case (an invitation) adds to creating an account. */
export interface CreateMore {
  /** The audit row's kind (default `admin.user_created`). */
  auditKind?: Extract<AuditKind, `admin.${string}`>;
  /** false: no verification mail, the caller proves the address another way. */
  verificationMail?: boolean;
  /** More work in the same transaction, after the user row and its audit row. */
  within?: (trx: Db, user: User) => Promise<void>;
}

/**
 * Creates an account as registration would (same validation, password policy and uniqueness),
 * with the operator's flags, in one transaction. Operator-made accounts are approved.
 */
export async function createUserAsAdmin(ctx: UserAdminCtx, actor: AdminActor, input: AdminUserInput & { password?: unknown }, more: CreateMore = {}): Promise<User> {
  assertMayGrant(actor, input);
  const errors = new FieldErrorBag();
  checkFlags(input, errors);
  errors.throwIfAny();
  if (typeof input.password === 'string' && input.password.length > ctx.config.passwordMaxLength) {
    throw new AuthError('validation_failed', undefined, { password: [`Ensure this field has no more than ${ctx.config.passwordMaxLength} characters.`] });
  }
  const profile: Record<string, unknown> = {};
  for (const field of profileFields) if (input[field] !== undefined) profile[field] = input[field];
  const flags = {
    is_active: input.is_active !== false,
    is_staff: Boolean(input.is_staff || input.is_superuser),
    is_superuser: Boolean(input.is_superuser),
    email_verified: Boolean(input.email_verified),
    approved: true,
  };
  const now = ctx.clock.now();
  // One transaction: the account exists with the operator's flags and audit row, or not at all.
  const { user } = await register(
    ctx,
    { ...(profile as ProfileInput), password: input.password as string },
    {
      identity: ctx.config.registrationIdentity,
      usernameIsLogin: true,
      issueTokens: false,
      byOperator: true,
      flags,
      verificationMail: more.verificationMail,
      within: async (trx, created) => {
        await recordAudit(trx, { kind: more.auditKind ?? 'admin.user_created', at: now, userId: created.id, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { username: created.username, email: created.email, ...flags } });
        await more.within?.(trx, created);
        await afterCommit(ctx, trx, () => ctx.users.invalidate(created.id));
      },
    },
    actor.meta,
  );
  return user;
}

function flagPatch(target: User, input: AdminFlags, actor: AdminActor): UserPatch {
  const patch: UserPatch = {};
  for (const flag of flagNames) {
    const value = input[flag];
    if (value === undefined) continue;
    if (!value && flag !== 'email_verified' && target[flag]) assertNotSelf(actor, target, selfLosses[flag]);
    patch[flag] = value ? 1 : 0;
  }
  // A superuser is always staff: the console is for staff.
  if (patch.is_superuser === 1) patch.is_staff = 1;
  if (patch.is_staff === 0) patch.is_superuser = 0;
  return patch;
}

async function profilePatch(ctx: UserAdminCtx, target: User, input: ProfileInput, errors: FieldErrorBag): Promise<UserPatch> {
  checkProfile(input, target.username_is_login, errors);
  const patch: UserPatch = {};
  for (const field of profileFields) {
    const value = input[field];
    if (value === undefined || field === 'username' || field === 'email' || errors.fields[field]) continue;
    (patch as Record<string, unknown>)[field] = field === 'date_of_birth' ? value || null : value;
  }
  const username = input.username?.trim();
  if (username !== undefined && username !== target.username && !errors.fields.username) {
    if (target.username_is_login) {
      if (!username) errors.add('username', 'This field may not be blank.');
      else if (await usernameTaken(ctx.db, username, target.id)) errors.add('username', usernameTakenMessage);
      Object.assign(patch, loginNameColumns(username));
    }
    patch.username = username;
  }
  const email = input.email === undefined || errors.fields.email ? undefined : normalizeEmail(input.email);
  if (email !== undefined && email !== target.email) {
    if (email && emailKey(email) !== emailKey(target.email) && (await emailTaken(ctx.db, email, target.id))) errors.add('email', emailTakenMessage);
    Object.assign(patch, { email, email_key: email ? emailKey(email) : null });
    // A different address is not verified yet; a change of letter case keeps the flag.
    if (emailKey(email) !== emailKey(target.email)) patch.email_verified = 0;
  }
  return patch;
}

/** The audit detail of a change: each changed field's old and new value. */
function changes(target: User, patch: UserPatch): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.endsWith('_key') || key === 'updated_at') continue;
    const old = (target as unknown as Record<string, unknown>)[key];
    const next = typeof old === 'boolean' ? value === 1 : value;
    if (old !== next) out[key] = { old, new: next };
  }
  return out;
}

/**
 * Updates profile fields and flags. Clearing `is_active` is a deactivation (sessions and
 * tokens end at once); staff and superuser flags need a superuser.
 */
export async function updateUserAsAdmin(ctx: UserAdminCtx, actor: AdminActor, userId: number, input: AdminUserInput): Promise<User> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  assertMayGrant(actor, input);
  const errors = new FieldErrorBag();
  checkFlags(input, errors);
  errors.throwIfAny();
  // Flags last: an explicit email_verified wins over the reset a new address implies.
  const patch = { ...(await profilePatch(ctx, target, input, errors)), ...flagPatch(target, input, actor) };
  errors.throwIfAny();
  const diff = changes(target, patch);
  if (Object.keys(diff).length === 0) return target;
  const now = ctx.clock.now();
  const deactivating = patch.is_active === 0;
  try {
    return await inTransaction(ctx, async (trx) => {
      const user = await updateUser(trx, userId, { ...patch, updated_at: now });
      const meta = { at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent };
      await recordAudit(trx, { kind: 'admin.user_updated', ...meta, detail: { changes: diff } });
      // An admin moving the address is an email change like any other: the old one is told, earlier codes die.
      if (patch.email !== undefined && emailKey(patch.email) !== emailKey(target.email)) await afterDirectEmailChange(ctx, trx, target, patch.email ?? '');
      if (!deactivating) {
        await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
        return user!;
      }
      const ended = await endAccess(ctx, trx, userId, 'deactivated');
      await recordAudit(trx, { kind: 'admin.user_deactivated', ...meta, detail: endedDetail(ended) });
      return user!;
    });
  } catch (err) {
    // Lost a race with a concurrent change taking the same name or address.
    const taken = takenField(ctx.db, err);
    if (!taken) throw err;
    throw new AuthError('validation_failed', undefined, taken === 'username' ? { username: [usernameTakenMessage] } : { email: [emailTakenMessage] });
  }
}

/** Deletes the account and everything it owns; its sessions and tokens stop working everywhere. */
export async function deleteUserAsAdmin(ctx: UserAdminCtx, actor: AdminActor, userId: number): Promise<void> {
  const target = await requireTarget(ctx, userId);
  assertMayManage(actor, target);
  assertNotSelf(actor, target, 'delete');
  const now = ctx.clock.now();
  await inTransaction(ctx, async (trx) => {
    await endAccess(ctx, trx, userId, 'account_deleted');
    await recordAudit(trx, { kind: 'admin.user_deleted', at: now, userId, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { username: target.username, email: target.email } });
    await deleteUser(trx, userId);
  });
}
