import { recordAudit, type RequestMeta } from './audit.js';
import { loginBlocker, modeRequiresAdmin, modeRequiresEmail } from './activation.js';
import type { Core } from './core.js';
import type { Db } from './context.js';
import { AuthError } from './errors.js';
import { hashPassword } from './passwords/index.js';
import { passwordProblems } from './password-policy.js';
import { enforceRateLimit } from './rate-limit.js';
import { openSession, tokenPair, type RefreshFormat, type TokenPair } from './sessions.js';
import { checkProfile, type ProfileInput } from './users/profile.js';
import { emailKey, normalizeEmail } from './users/normalize.js';
import { loginNameColumns } from './users/skeleton.js';
import type { User } from './users/user.js';
import { takenField } from './users/taken.js';
import { emailTaken, insertUser, recordLogin, usernameTaken } from '../store/users-repo.js';
import { inTransaction } from './transaction.js';
import { afterRegistration } from './verification-hooks.js';

/**
 * What registration needs: the store, a clock, and what the steps it calls take (rate limits,
 * password policy, activation mode, verification mail, sessions); as those narrow, so does this.
 */
export type RegisterCtx = Pick<Core, 'db' | 'log' | 'clock'> &
  Parameters<typeof enforceRateLimit>[0] &
  Parameters<typeof passwordProblems>[0] &
  Parameters<typeof modeRequiresEmail>[0] &
  Parameters<typeof loginBlocker>[0] &
  Parameters<typeof afterRegistration>[0] &
  Parameters<typeof openSession>[0] &
  Parameters<typeof tokenPair>[0];

export interface RegisterInput extends ProfileInput {
  password: string;
}

export interface RegisterOptions {
  /** What identifies the account: a unique login name, an email, or either. */
  identity: 'username' | 'email' | 'either';
  /** False for profiles whose `username` is a free, non-unique display name. */
  usernameIsLogin: boolean;
  /** Open a session and return tokens when the account may log in at once. */
  issueTokens: boolean;
  refreshFormat?: RefreshFormat;
  /** Flags set at creation (operator-made accounts), instead of the activation mode's defaults. */
  flags?: Partial<Record<'is_active' | 'is_staff' | 'is_superuser' | 'email_verified' | 'approved', boolean>>;
  /** Made by an operator (console, CLI): not counted against the caller's per-IP sign-up budget. */
  byOperator?: boolean;
  /** false: no verification mail; the caller proves the address another way (an invitation's link). */
  verificationMail?: boolean;
  /** More work inside the same transaction, after the user row exists (e.g. the operator's audit row). */
  within?: (trx: Db, user: User) => Promise<void>;
}

export interface Registration {
  user: User;
  tokens?: TokenPair;
  /** Set when the account must be verified or approved before it may log in. */
  pending?: AuthError;
}

export const usernameTakenMessage = 'A user with that username already exists.';
export const emailTakenMessage = 'user with this email already exists.';

/** Creates an account in one transaction: the user, its audit row, its first session and any mail. */
export async function register(ctx: RegisterCtx, input: RegisterInput, options: RegisterOptions, meta: RequestMeta): Promise<Registration> {
  if (!options.byOperator) await enforceRateLimit(ctx, 'register_ip', meta.ip);
  const errors = checkProfile(input, options.usernameIsLogin);
  const username = input.username?.trim() ?? '';
  const email = input.email ? normalizeEmail(input.email) : '';
  if (options.identity === 'username' && !username) errors.add('username', 'This field is required.');
  // An account that must verify its address cannot be created without one.
  if ((options.identity === 'email' || modeRequiresEmail(ctx)) && !email) errors.add('email', 'This field is required.');
  if (options.identity === 'either' && !username && !email) errors.add('non_field_errors', 'Provide a username or an email address.');
  if (typeof input.password !== 'string' || input.password === '') errors.add('password', 'This field is required.');
  else for (const m of passwordProblems(ctx, input.password, { username, email, first_name: input.first_name, last_name: input.last_name })) errors.add('password', m);
  if (errors.empty) {
    // Per identifier, so nobody can hammer one address or name from many IPs (counted before the lookups, which would tell taken from free).
    await enforceRateLimit(ctx, 'register_account', emailKey(email || username));
    if (options.usernameIsLogin && username && (await usernameTaken(ctx.db, username))) errors.add('username', usernameTakenMessage);
    if (email && (await emailTaken(ctx.db, email))) errors.add('email', emailTakenMessage);
  }
  errors.throwIfAny();

  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const flag = (name: keyof NonNullable<RegisterOptions['flags']>, fallback: boolean) => ((options.flags?.[name] ?? fallback) ? 1 : 0);
  let user: User;
  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    ({ user, session } = await inTransaction(ctx, async (trx) => {
      const created = await insertUser(trx, {
        username,
        ...loginNameColumns(options.usernameIsLogin && username ? username : null),
        email,
        email_key: email ? emailKey(email) : null,
        password_hash: passwordHash,
        first_name: input.first_name ?? '',
        last_name: input.last_name ?? '',
        phone_number: input.phone_number ?? '',
        date_of_birth: input.date_of_birth || null,
        gender: input.gender ?? '',
        bio: input.bio ?? '',
        is_active: flag('is_active', true),
        is_staff: flag('is_staff', false),
        is_superuser: flag('is_superuser', false),
        email_verified: flag('email_verified', false),
        approved: flag('approved', !modeRequiresAdmin(ctx)),
        date_joined: now,
        last_login: null,
        password_changed_at: now,
        updated_at: now,
        failed_logins: 0,
        locked_until: null,
        pending_email: null,
        avatar_etag: null,
        // An operator's browser language is not the new account's.
        locale: options.byOperator ? null : (meta.locale ?? null),
      });
      await recordAudit(trx, { kind: 'user.registered', at: now, userId: created.id, ip: meta.ip, userAgent: meta.userAgent });
      await options.within?.(trx, created);
      if (options.verificationMail !== false) await afterRegistration(ctx, trx, created);
      const blocked = loginBlocker(ctx, created);
      const opened = options.issueTokens && !blocked ? await openSession(ctx, trx, created.id, meta, options.refreshFormat) : undefined;
      if (opened) await recordLogin(trx, created.id, { last_login: now });
      return { user: opened ? { ...created, last_login: now } : created, session: opened };
    }));
  } catch (err) {
    // Lost a race with a concurrent sign-up of the same name or address.
    const taken = takenField(ctx.db, err);
    if (taken === 'username') throw new AuthError('validation_failed', undefined, { username: [usernameTakenMessage] });
    if (taken === 'email') throw new AuthError('validation_failed', undefined, { email: [emailTakenMessage] });
    throw err;
  }
  const result: Registration = { user, pending: loginBlocker(ctx, user) };
  if (session) result.tokens = await tokenPair(ctx, user.id, session.sessionId, session.refreshToken, session);
  return result;
}
