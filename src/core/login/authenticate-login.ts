import { loginBlock } from '../activation.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { trustedDevice } from '../device-tokens.js';
import { burnDummyVerify, hashPassword, verifyPassword } from '../passwords/index.js';
import { enforceRateLimit } from '../rate-limit.js';
import { isStorableText, usernameKey } from '../users/normalize.js';
import { findCredentialsByLogin } from '../../store/users-repo.js';
import { failLogin, type FailLoginCtx } from './fail-login.js';
import { noSecondFactors, type SecondFactors } from './second-factors.js';
import type { LoginVerdict } from './verdict.js';

export interface PasswordLogin {
  login: string;
  password: string;
  /** A device token from an earlier login (core/device-tokens.ts); anything else is ignored. */
  deviceToken?: string;
}

export interface AuthenticateOptions {
  /** Which identifier `login` is: an email, a unique username, or either. */
  by?: 'email' | 'username' | 'either';
}

/**
 * What authenticating a login uses, plus what the rate-limit and device-token steps it calls need.
 * `secondFactors`: where to ask which further factors an account has; none when absent.
 */
export type AuthenticateLoginCtx = FailLoginCtx &
  Pick<Core, 'clock' | 'config'> &
  Parameters<typeof enforceRateLimit>[0] &
  Parameters<typeof trustedDevice>[0] & { secondFactors?: SecondFactors };

/**
 * The per-account login budget's key: the account the lookup resolved to, or for an unknown login
 * the same folding the lookup uses, so look-alike spellings of one name share one budget.
 */
export function loginBudgetKey(login: string, userId?: number): string {
  return userId === undefined ? `login:${usernameKey(login.trim())}` : `user:${userId}`;
}

/**
 * The first step of a login: identifies the account, spends the rate limits, checks the password
 * and counts failures toward a temporary lock (which a client presenting this account's device
 * token skips). Unknown accounts cost one dummy hash and the same queries, so timing does not tell
 * them apart. Rate limits throw; everything about the credentials is the verdict.
 */
export async function authenticateLogin(ctx: AuthenticateLoginCtx, input: PasswordLogin, options: AuthenticateOptions, meta: RequestMeta): Promise<LoginVerdict> {
  const login = input.login.trim();
  await enforceRateLimit(ctx, 'login_ip', meta.ip);
  const now = ctx.clock.now();
  // A login that no account can have (NUL bytes break PostgreSQL text) is simply unknown; it still costs a hash.
  const tooLong = input.password.length > ctx.config.passwordMaxLength;
  const found = login && isStorableText(login) && !tooLong ? await findCredentialsByLogin(ctx.db, login, options.by) : undefined;
  // A client holding this account's device token is not held back by what others do to the account.
  const device = await trustedDevice(ctx, input.deviceToken, found?.user.id, now);
  // The per-account budget is keyed on the account the lookup resolved to, so look-alike spellings of
  // one name (fullwidth letters, case) share it; an unknown login is keyed on its folded form.
  if (!device) await enforceRateLimit(ctx, 'login_account', loginBudgetKey(login, found?.user.id));
  if (!found) {
    await burnDummyVerify(input.password.slice(0, ctx.config.passwordMaxLength));
    // An over-long password is refused before the account is looked up: the audit says so rather than "unknown".
    const reason = tooLong ? 'password_too_long' : 'unknown_account';
    return failLogin(ctx, { reason, counts: false, detail: { login: login.slice(0, 254) } }, meta, now);
  }
  const { user, passwordHash } = found;
  if (!device && user.locked_until !== null && user.locked_until > now) {
    // A locked account answers exactly like a wrong password or an unknown login (same status, body and
    // the cost of a hash), so the lock does not tell which accounts exist. Only the audit says 'locked'.
    await verifyPassword(input.password, passwordHash);
    return failLogin(ctx, { reason: 'locked', userId: user.id, counts: false }, meta, now);
  }
  const checked = await verifyPassword(input.password, passwordHash);
  if (!checked.ok) {
    return failLogin(ctx, { reason: 'wrong_password', userId: user.id, counts: !device, device, detail: device ? { device_token: true } : {} }, meta, now);
  }
  const block = loginBlock(ctx, user);
  if (block) {
    await recordAudit(ctx.db, { kind: 'login.failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: block } });
    return { kind: 'failure', reason: block };
  }
  const factors = await (ctx.secondFactors ?? noSecondFactors).enrolled(ctx.db, user);
  if (factors.length) return { kind: 'factor_required', user, factors, ...(device ? { device } : {}) };
  // Imported Django hashes and older argon2 parameters are upgraded on a successful login.
  const newPasswordHash = checked.needsRehash ? await hashPassword(input.password) : undefined;
  return { kind: 'success', user, ...(device ? { device } : {}), ...(newPasswordHash ? { newPasswordHash } : {}) };
}
