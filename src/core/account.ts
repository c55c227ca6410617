import { recordAudit, type AuditEvent, type RequestMeta } from './audit.js';
import type { Core } from './core.js';
import { AuthError, FieldErrorBag } from './errors.js';
import { hashPassword, verifyPassword } from './passwords/index.js';
import { passwordProblems } from './password-policy.js';
import { revokeSessions, type RevokeTarget } from './sessions.js';
import { endAccess, endedDetail, type KeptCredential } from './end-access.js';
import { afterCommit, inTransaction } from './transaction.js';
import { checkProfile, profileFields, type ProfileInput } from './users/profile.js';
import { emailKey, normalizeEmail } from './users/normalize.js';
import { loginNameColumns } from './users/skeleton.js';
import { localeOf, locales, mailLocale } from './locales.js';
import type { User } from './users/user.js';
import { afterDirectEmailChange, beforeEmailChange } from './verification-hooks.js';
import { enforceRateLimit } from './rate-limit.js';
import { loginBudgetKey } from './login.js';
import { emailTakenMessage, usernameTakenMessage } from './register.js';
import { takenField } from './users/taken.js';
import type { Db } from './context.js';
import { requireStepUp, type StepUpProof } from './mfa/step-up.js';
import { deleteUser, emailTaken, findCredentialsById, updateUser, usernameTaken, type UserPatch } from '../store/users-repo.js';

/**
 * What the account use cases need: the store, a clock, config, mail and the account cache, and
 * what the steps they call take (rate limits, policy, ending access, email-change hooks, sessions).
 */
export type AccountCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config' | 'mailer' | 'users'> &
  Parameters<typeof enforceRateLimit>[0] &
  Parameters<typeof passwordProblems>[0] &
  Parameters<typeof endAccess>[0] &
  Parameters<typeof beforeEmailChange>[0] &
  Parameters<typeof afterDirectEmailChange>[0] &
  Parameters<typeof revokeSessions>[0];

async function requireCredentials(ctx: AccountCtx, userId: number) {
  const found = await findCredentialsById(ctx.db, userId);
  if (!found) throw new AuthError('not_authenticated', 'User not found');
  return found;
}

/**
 * Checks the current password; a wrong one is audited and answered with a field error. Each check
 * spends the account's login budget, so a stolen session cannot guess the password here unthrottled.
 */
export async function confirmPassword(ctx: AccountCtx, userId: number, password: unknown, field: string, meta: RequestMeta): Promise<User> {
  const { user, passwordHash } = await requireCredentials(ctx, userId);
  await enforceRateLimit(ctx, 'login_account', loginBudgetKey('', userId));
  const ok = typeof password === 'string' && password.length <= ctx.config.passwordMaxLength && (await verifyPassword(password, passwordHash)).ok;
  if (!ok) {
    await recordAudit(ctx.db, { kind: 'login.failed', at: ctx.clock.now(), userId, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: 'wrong_password_confirmation' } });
    throw new AuthError('wrong_password', undefined, { [field]: [typeof password === 'string' && password ? 'Wrong password.' : 'This field is required.'] });
  }
  return user;
}

/**
 * Changes the password after checking the old one and the step-up (mfa/step-up.ts: an account with
 * a second factor also needs a fresh one); every other credential ends at once (the session or API
 * token making the change stays), and a notice is mailed.
 */
export async function changePassword(
  ctx: AccountCtx,
  userId: number,
  input: { old_password: unknown; new_password: unknown; code?: unknown },
  meta: RequestMeta,
  requester: { sessionId?: string; apiTokenId?: string; singleStep?: true } = {},
): Promise<void> {
  const errors = new FieldErrorBag();
  if (typeof input.new_password !== 'string' || input.new_password === '') errors.add('new_password', 'This field is required.');
  if (typeof input.old_password !== 'string' || input.old_password === '') errors.add('old_password', 'This field is required.');
  errors.throwIfAny();
  const user = await confirmPassword(ctx, userId, input.old_password, 'old_password', meta);
  await requireStepUp(ctx, user, { sessionId: requester.sessionId, code: input.code, ...(requester.singleStep ? { singleStep: true } : {}) }, meta);
  await setPassword(ctx, user, input.new_password as string, meta, { keep: { exceptSessionId: requester.sessionId, exceptApiTokenId: requester.apiTokenId }, field: 'new_password', actorId: userId, kind: 'password.changed' });
}

export interface SetPasswordOptions {
  /** The credential that made the request (password change, admin setting its own); a reset keeps nothing. */
  keep?: KeptCredential;
  field: string;
  actorId: number | null;
  kind: 'password.changed' | 'password.reset' | 'admin.password_set';
  /** Extra work inside the same transaction (e.g. consuming a reset code). */
  within?: (trx: Db) => Promise<void>;
}

/**
 * The one place a password is replaced: policy, hash, access ended (sessions, API tokens, login
 * keys, console sessions, pending codes — all but `keep`), audit and notice in one transaction.
 */
export async function setPassword(ctx: AccountCtx, user: User, password: string, meta: RequestMeta, options: SetPasswordOptions): Promise<void> {
  const problems = passwordProblems(ctx, password, user);
  if (problems.length) throw new AuthError('validation_failed', undefined, { [options.field]: problems });
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  const keep = options.kind === 'password.reset' ? {} : (options.keep ?? {});
  await inTransaction(ctx, async (trx) => {
    await options.within?.(trx);
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: now, updated_at: now, failed_logins: 0, locked_until: null });
    const ended = await endAccess(ctx, trx, user.id, options.kind, keep);
    await recordAudit(trx, { kind: options.kind, at: now, userId: user.id, actorId: options.actorId, ip: meta.ip, userAgent: meta.userAgent, detail: endedDetail(ended) });
    if (user.email) await ctx.mailer.enqueue(trx, { kind: 'password_changed', to: user.email, data: { name: user.first_name || user.username || user.email }, locale: mailLocale(user) });
  });
}

export interface UpdateProfileOptions {
  /** `verify`: a new email waits for verification before it replaces the old one. */
  emailChange: 'verify' | 'direct';
  /**
   * Whether `username` is a unique login name here. Default: as the account has it — but an
   * account that signed up with an email only has no username yet, so an API whose names are
   * logins (the native one) says so, or a second "alice" could slip in.
   */
  usernameIsLogin?: boolean;
  /**
   * Re-authentication for sensitive changes (the native API): changing the email or username
   * needs `current_password`, and an API token (`credential: 'token'`) may never do it.
   * Compat profiles leave it out and keep their seeds' behaviour.
   */
  reauth?: { credential: 'session' | 'token'; password: unknown };
  /**
   * The step-up (mfa/step-up.ts) a changed email or username of an account with a second factor
   * needs, with or without `reauth`: the requesting session and the body's `code`, or for a
   * compat profile `singleStep` (its client sends no code). Left out: no session, no code.
   */
  stepUp?: StepUpProof;
  /** More work inside the same transaction, after the change (e.g. a profile's avatar); its failure undoes the change. */
  within?: (trx: Db, user: User) => Promise<void>;
}

/** Updates profile fields; username and email stay unique. */
export async function updateProfile(ctx: AccountCtx, userId: number, input: ProfileInput & { locale?: unknown }, options: UpdateProfileOptions, meta: RequestMeta): Promise<User> {
  const { user } = await requireCredentials(ctx, userId);
  const usernameIsLogin = options.usernameIsLogin ?? user.username_is_login;
  const errors = checkProfile(input, usernameIsLogin);
  const patch: UserPatch = {};
  for (const field of profileFields) {
    const value = input[field];
    if (value === undefined || field === 'username' || field === 'email') continue;
    (patch as Record<string, unknown>)[field] = field === 'date_of_birth' ? value || null : value;
  }
  if (input.locale !== undefined) {
    // null: back to the deployment's default; otherwise exactly one of the shipped languages.
    const locale = input.locale === null ? null : localeOf(input.locale);
    if (locale === undefined || (locale !== null && locale !== input.locale)) errors.add('locale', `Choose one of: ${locales.join(', ')} (or null).`);
    else patch.locale = locale;
  }
  const username = input.username?.trim();
  const email = input.email === undefined ? undefined : normalizeEmail(input.email);
  const emailChanged = email !== undefined && emailKey(email) !== emailKey(user.email);
  const usernameChanged = username !== undefined && username !== user.username;
  if ((emailChanged || usernameChanged) && options.reauth) {
    // Checked before any uniqueness check: a stolen credential learns nothing about other accounts.
    if (options.reauth.credential === 'token') throw new AuthError('permission_denied', 'An API token may not change the email or username; use a session and current_password.');
    if (typeof options.reauth.password !== 'string' || options.reauth.password === '') errors.add('current_password', 'This field is required.');
    errors.throwIfAny();
    await confirmPassword(ctx, userId, options.reauth.password, 'current_password', meta);
  }
  if (emailChanged || usernameChanged) await requireStepUp(ctx, user, options.stepUp ?? {}, meta);
  if (usernameChanged) {
    if (usernameIsLogin) {
      if (!username) errors.add('username', 'This field may not be blank.');
      else if (!errors.fields.username && (await usernameTaken(ctx.db, username, userId))) errors.add('username', usernameTakenMessage);
      Object.assign(patch, loginNameColumns(username));
    }
    patch.username = username;
  }
  if (emailChanged) {
    if (!email) errors.add('email', 'This field may not be blank.');
    else if (!errors.fields.email && (await emailTaken(ctx.db, email, userId))) errors.add('email', emailTakenMessage);
  } else if (email !== undefined && email !== user.email) patch.email = email;
  errors.throwIfAny();
  if (emailChanged) {
    await enforceRateLimit(ctx, 'email_change_ip', meta.ip);
    await enforceRateLimit(ctx, 'email_change_account', String(userId));
  }
  const now = ctx.clock.now();
  let updated: User | undefined;
  try {
    updated = await inTransaction(ctx, async (trx) => {
      if (emailChanged) {
        const direct = options.emailChange === 'direct' || (await beforeEmailChange(ctx, trx, user, email!));
        if (direct) {
          Object.assign(patch, { email, email_key: emailKey(email!), email_verified: 0 });
          await afterDirectEmailChange(ctx, trx, user, email!);
        }
      }
      const changed = await updateUser(trx, userId, { ...patch, updated_at: now });
      if (changed && options.within) await options.within(trx, changed);
      await recordAudit(trx, { kind: 'profile.updated', at: now, userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { fields: Object.keys(input) } });
      await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
      return changed;
    });
  } catch (err) {
    // Lost a race with a concurrent change taking the same name or address.
    const taken = takenField(ctx.db, err);
    if (!taken) throw err;
    throw new AuthError('validation_failed', undefined, taken === 'username' ? { username: [usernameTakenMessage] } : { email: [emailTakenMessage] });
  }
  if (!updated) throw new AuthError('not_found');
  return updated;
}

/** Deletes the account after the password and the step-up are confirmed; its sessions and tokens end everywhere. */
export async function deleteAccount(ctx: AccountCtx, userId: number, password: unknown, meta: RequestMeta, stepUp: StepUpProof): Promise<void> {
  const user = await confirmPassword(ctx, userId, password, 'password', meta);
  await requireStepUp(ctx, user, stepUp, meta);
  const now = ctx.clock.now();
  await inTransaction(ctx, async (trx) => {
    const ended = await endAccess(ctx, trx, userId, 'account_deleted');
    await recordAudit(trx, { kind: 'account.deleted', at: now, userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: endedDetail(ended) });
    await deleteUser(trx, userId);
  });
}

/**
 * Revokes sessions and writes the audit row in one transaction; every instance hears of it
 * once the transaction has committed.
 */
async function endSessions(ctx: AccountCtx, target: RevokeTarget, reason: string, audit: (ended: number) => AuditEvent | undefined): Promise<number> {
  return inTransaction(ctx, async (trx) => {
    const rows = await revokeSessions(ctx, target, reason, trx);
    const event = audit(rows.length);
    if (event) await recordAudit(trx, event);
    return rows.length;
  });
}

export async function logout(ctx: AccountCtx, userId: number, sessionId: string, meta: RequestMeta): Promise<void> {
  await endSessions(ctx, { sessionIds: [sessionId], userId }, 'logout', () => ({
    kind: 'logout', at: ctx.clock.now(), userId, ip: meta.ip, userAgent: meta.userAgent, detail: { session: sessionId },
  }));
}

/**
 * Signs the account out everywhere: every session (this one too — it is a logout), API token,
 * login key, console session and pending code ends. An API token making the request stays.
 */
export async function logoutAll(ctx: AccountCtx, userId: number, meta: RequestMeta, requester: { apiTokenId?: string } = {}): Promise<number> {
  const now = ctx.clock.now();
  return inTransaction(ctx, async (trx) => {
    const ended = await endAccess(ctx, trx, userId, 'logout_all', { exceptApiTokenId: requester.apiTokenId });
    await recordAudit(trx, { kind: 'logout.all', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { sessions: ended.sessions.length, ...endedDetail(ended) } });
    return ended.sessions.length;
  });
}

/** Signs every other device out; the session making the request stays. */
export async function revokeOtherSessions(ctx: AccountCtx, userId: number, keepSessionId: string, meta: RequestMeta): Promise<number> {
  return endSessions(ctx, { userId, exceptSessionId: keepSessionId }, 'revoked_by_user', (n) => ({
    kind: 'session.revoked', at: ctx.clock.now(), userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { sessions: n, kept: keepSessionId },
  }));
}

export async function revokeOwnSession(ctx: AccountCtx, userId: number, sessionId: string, meta: RequestMeta): Promise<void> {
  await endSessions(ctx, { sessionIds: [sessionId], userId }, 'revoked_by_user', (n) => {
    // Throwing here rolls the (empty) revocation back too.
    if (n === 0) throw new AuthError('not_found', 'No such session.');
    return { kind: 'session.revoked', at: ctx.clock.now(), userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { session: sessionId } };
  });
}
