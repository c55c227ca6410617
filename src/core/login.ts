import { recordAudit, type RequestMeta } from './audit.js';
import { loginBlocker } from './activation.js';
import type { Core } from './core.js';
import { AuthError } from './errors.js';
import { burnDummyVerify, hashPassword, verifyPassword } from './passwords/index.js';
import { enforceRateLimit } from './rate-limit.js';
import { openSession, tokenPair, type RefreshFormat, type TokenPair } from './sessions.js';
import type { User } from './users/user.js';
import { isStorableText, usernameKey } from './users/normalize.js';
import { sql } from 'kysely';
import { findCredentialsByLogin, updateUser } from '../store/users-repo.js';

export interface LoginInput {
  login: string;
  password: string;
}

export interface LoginOptions {
  /** Which identifier `login` is: an email, a unique username, or either. */
  by?: 'email' | 'username' | 'either';
  /** false: check the password and account only (token-key profiles issue their own credential). */
  openSession?: boolean;
  refreshFormat?: RefreshFormat;
}

export interface LoginResult {
  user: User;
  tokens?: TokenPair;
}

const maxLockSeconds = 3600;

/**
 * The per-account login budget's key: the account the lookup resolved to, or for an unknown login
 * the same folding the lookup uses, so look-alike spellings of one name share one budget.
 */
export function loginBudgetKey(login: string, userId?: number): string {
  return userId === undefined ? `login:${usernameKey(login.trim())}` : `user:${userId}`;
}

/** Seconds an account stays locked after `failures` consecutive failures (doubling per lock, capped). */
export function lockSeconds(core: Core, failures: number): number {
  const threshold = core.settings.get('lockout_threshold');
  if (failures < threshold || failures % threshold !== 0) return 0;
  const locks = failures / threshold;
  return Math.min(core.settings.get('lockout_seconds') * 2 ** (locks - 1), maxLockSeconds);
}

const knownClientDays = 90;

/**
 * True when the account logged in successfully from this address within the last 90 days: such a
 * client skips the account's lock and per-account limit, so an attacker elsewhere can delay the
 * account but never keep its owner out. Per-IP limits still apply to it.
 */
async function knownClient(core: Core, userId: number, ip: string, now: number): Promise<boolean> {
  const row = await core.db
    .selectFrom('audit_events')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', 'login.succeeded')
    .where('ip', '=', ip)
    .where('at', '>', now - knownClientDays * 86_400_000)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Checks a login and password. Unknown accounts cost one dummy hash so timing does not
 * tell them apart; failures are audited with their reason and count toward a temporary lock.
 */
export async function login(core: Core, input: LoginInput, options: LoginOptions, meta: RequestMeta): Promise<LoginResult> {
  const login = input.login.trim();
  await enforceRateLimit(core, 'login_ip', meta.ip);
  const now = core.clock.now();
  // A login that no account can have (NUL bytes break PostgreSQL text) is simply unknown; it still costs a hash.
  const tooLong = input.password.length > core.config.passwordMaxLength;
  const found = login && isStorableText(login) && !tooLong ? await findCredentialsByLogin(core.db, login, options.by) : undefined;
  // A client this account has logged in from before is not held back by what others do to the account.
  const trusted = found !== undefined && (await knownClient(core, found.user.id, meta.ip, now));
  // The per-account budget is keyed on the account the lookup resolved to, so look-alike spellings of
  // one name (fullwidth letters, case) share it; an unknown login is keyed on its folded form.
  if (!trusted) await enforceRateLimit(core, 'login_account', loginBudgetKey(login, found?.user.id));
  if (!found) {
    await burnDummyVerify(input.password.slice(0, core.config.passwordMaxLength));
    // An over-long password is refused before the account is looked up: the audit says so rather than "unknown".
    const reason = tooLong ? 'password_too_long' : 'unknown_account';
    await recordAudit(core.db, { kind: 'login.failed', at: now, ip: meta.ip, userAgent: meta.userAgent, detail: { reason, login: login.slice(0, 254) } });
    throw new AuthError('invalid_credentials');
  }
  const { user, passwordHash } = found;
  if (!trusted && user.locked_until !== null && user.locked_until > now) {
    // A locked account answers exactly like a wrong password or an unknown login (same status, body and
    // the cost of a hash), so the lock does not tell which accounts exist. Only the audit says 'locked'.
    await verifyPassword(input.password, passwordHash);
    await recordAudit(core.db, { kind: 'login.failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: 'locked' } });
    throw new AuthError('invalid_credentials');
  }
  const verdict = await verifyPassword(input.password, passwordHash);
  if (!verdict.ok) {
    await core.db.transaction().execute(async (trx) => {
      // The count comes back from the increment itself, so N parallel wrong passwords count N and
      // exactly one of them sees each lock threshold.
      const row = await trx
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirst();
      const failures = Number(row?.failed_logins ?? user.failed_logins + 1);
      const lock = lockSeconds(core, failures);
      if (lock) {
        const until = now + lock * 1000;
        // Never shorten a longer lock set by a parallel failure that reached a later threshold.
        await trx
          .updateTable('users')
          .set({ locked_until: sql<number>`case when locked_until is null or locked_until < ${until} then ${until} else locked_until end` })
          .where('id', '=', user.id)
          .execute();
      }
      await recordAudit(trx, { kind: 'login.failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: 'wrong_password' } });
      if (lock) await recordAudit(trx, { kind: 'account.locked', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { seconds: lock, failures } });
    });
    await core.users.invalidate(user.id);
    throw new AuthError('invalid_credentials');
  }
  const blocked = loginBlocker(core, user);
  if (blocked) {
    await recordAudit(core.db, { kind: 'login.failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: blocked.code } });
    throw blocked;
  }
  // Imported Django hashes and older argon2 parameters are upgraded on a successful login.
  const newHash = verdict.needsRehash ? await hashPassword(input.password) : undefined;
  const session = await core.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { last_login: now, failed_logins: 0, locked_until: null, ...(newHash ? { password_hash: newHash } : {}) });
    await recordAudit(trx, { kind: 'login.succeeded', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: newHash ? { rehashed: true } : {} });
    return options.openSession === false ? undefined : openSession(core, trx, user.id, meta, options.refreshFormat);
  });
  await core.users.invalidate(user.id);
  const fresh: User = { ...user, last_login: now, failed_logins: 0, locked_until: null };
  if (!session) return { user: fresh };
  return { user: fresh, tokens: await tokenPair(core, user.id, session.sessionId, session.refreshToken) };
}
