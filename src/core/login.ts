import { recordAudit, type RequestMeta } from './audit.js';
import { loginBlocker } from './activation.js';
import type { Core } from './core.js';
import { AuthError } from './errors.js';
import { burnDummyVerify, hashPassword, verifyPassword } from './passwords/index.js';
import { enforceRateLimit } from './rate-limit.js';
import { openSession, tokenPair, type RefreshFormat, type TokenPair } from './sessions.js';
import type { User } from './users/user.js';
import { isStorableText, usernameKey } from './users/normalize.js';
import { deviceTokenFailed, deviceTokenForLogin, trustedDevice, type DeviceToken } from './device-tokens.js';
import { afterCommit, inTransaction } from './transaction.js';
import { countFailedLogin, findCredentialsByLogin, lockAccountUntil, noSuchUserId, recordLogin } from '../store/users-repo.js';

export interface LoginInput {
  login: string;
  password: string;
  /** A device token from an earlier login (core/device-tokens.ts); anything else is ignored. */
  deviceToken?: string;
}

export interface LoginOptions {
  /** Which identifier `login` is: an email, a unique username, or either. */
  by?: 'email' | 'username' | 'either';
  /** false: check the password and account only (token-key profiles issue their own credential). */
  openSession?: boolean;
  refreshFormat?: RefreshFormat;
  /** true: a successful login returns a device token for this client (issued or the one presented). */
  issueDeviceToken?: boolean;
}

export interface LoginResult {
  user: User;
  tokens?: TokenPair;
  deviceToken?: string;
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

interface Failure {
  /** The account the login resolved to, if any. */
  userId?: number;
  /** false: the failure is not counted against the account (it is locked, or a device token carries it). */
  counts: boolean;
  device?: DeviceToken;
  detail: Record<string, unknown>;
}

/**
 * Every failed password check does the same database work — one transaction with the failure
 * increment (against an id no account has when nothing is counted) and the audit row — and the
 * same cache work, so an unknown login, a locked account and a wrong password cost alike.
 * Two statements when a threshold is reached: the lock length is computed here, not in SQL.
 */
async function failLogin(core: Core, failure: Failure, meta: RequestMeta, now: number): Promise<never> {
  const counted = failure.counts && failure.userId !== undefined ? failure.userId : noSuchUserId;
  await inTransaction(core, async (trx) => {
    const failures = await countFailedLogin(trx, counted);
    const lock = failures === undefined ? 0 : lockSeconds(core, failures);
    if (lock) await lockAccountUntil(trx, counted, now + lock * 1000);
    if (failure.device) await deviceTokenFailed(core, trx, failure.device);
    await recordAudit(trx, { kind: 'login.failed', at: now, userId: failure.userId, ip: meta.ip, userAgent: meta.userAgent, detail: failure.detail });
    if (lock) await recordAudit(trx, { kind: 'account.locked', at: now, userId: counted, ip: meta.ip, userAgent: meta.userAgent, detail: { seconds: lock, failures } });
    await afterCommit(core, trx, () => core.users.invalidate(failure.userId ?? noSuchUserId));
  });
  throw new AuthError('invalid_credentials');
}

/**
 * Checks a login and password. Unknown accounts cost one dummy hash and the same queries so timing
 * does not tell them apart; failures are audited with their reason and count toward a temporary
 * lock, which a client presenting this account's device token skips.
 */
export async function login(core: Core, input: LoginInput, options: LoginOptions, meta: RequestMeta): Promise<LoginResult> {
  const login = input.login.trim();
  await enforceRateLimit(core, 'login_ip', meta.ip);
  const now = core.clock.now();
  // A login that no account can have (NUL bytes break PostgreSQL text) is simply unknown; it still costs a hash.
  const tooLong = input.password.length > core.config.passwordMaxLength;
  const found = login && isStorableText(login) && !tooLong ? await findCredentialsByLogin(core.db, login, options.by) : undefined;
  // A client holding this account's device token is not held back by what others do to the account.
  const device = await trustedDevice(core, input.deviceToken, found?.user.id, now);
  // The per-account budget is keyed on the account the lookup resolved to, so look-alike spellings of
  // one name (fullwidth letters, case) share it; an unknown login is keyed on its folded form.
  if (!device) await enforceRateLimit(core, 'login_account', loginBudgetKey(login, found?.user.id));
  if (!found) {
    await burnDummyVerify(input.password.slice(0, core.config.passwordMaxLength));
    // An over-long password is refused before the account is looked up: the audit says so rather than "unknown".
    const reason = tooLong ? 'password_too_long' : 'unknown_account';
    return failLogin(core, { counts: false, detail: { reason, login: login.slice(0, 254) } }, meta, now);
  }
  const { user, passwordHash } = found;
  if (!device && user.locked_until !== null && user.locked_until > now) {
    // A locked account answers exactly like a wrong password or an unknown login (same status, body and
    // the cost of a hash), so the lock does not tell which accounts exist. Only the audit says 'locked'.
    await verifyPassword(input.password, passwordHash);
    return failLogin(core, { userId: user.id, counts: false, detail: { reason: 'locked' } }, meta, now);
  }
  const verdict = await verifyPassword(input.password, passwordHash);
  if (!verdict.ok) {
    const detail = device ? { reason: 'wrong_password', device_token: true } : { reason: 'wrong_password' };
    return failLogin(core, { userId: user.id, counts: !device, device, detail }, meta, now);
  }
  const blocked = loginBlocker(core, user);
  if (blocked) {
    await recordAudit(core.db, { kind: 'login.failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: blocked.code } });
    throw blocked;
  }
  // Imported Django hashes and older argon2 parameters are upgraded on a successful login.
  const newHash = verdict.needsRehash ? await hashPassword(input.password) : undefined;
  // A login through a device token leaves the account's failure count and lock as they are: they
  // hold back the other clients, and forgiving them would hand an attacker a fresh set of guesses.
  const reset = device ? {} : { failed_logins: 0, locked_until: null };
  const { session, deviceToken } = await inTransaction(core, async (trx) => {
    await recordLogin(trx, user.id, { last_login: now, ...reset, ...(newHash ? { password_hash: newHash } : {}) });
    const deviceToken = options.issueDeviceToken || device ? await deviceTokenForLogin(core, trx, user.id, device, now) : undefined;
    await recordAudit(trx, { kind: 'login.succeeded', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { ...(newHash ? { rehashed: true } : {}), ...(device ? { device_token: true } : {}) } });
    const session = options.openSession === false ? undefined : await openSession(core, trx, user.id, meta, options.refreshFormat);
    await afterCommit(core, trx, () => core.users.invalidate(user.id));
    return { session, deviceToken };
  });
  const fresh: User = { ...user, last_login: now, ...reset };
  const issued = options.issueDeviceToken ? { deviceToken } : {};
  if (!session) return { user: fresh, ...issued };
  return { user: fresh, tokens: await tokenPair(core, user.id, session.sessionId, session.refreshToken, session), ...issued };
}
