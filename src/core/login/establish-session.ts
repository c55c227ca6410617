import type { ExtraClaims } from '../access-tokens.js';
import { recordAudits, type AuditEvent, type RequestMeta } from '../audit.js';
import type { Db } from '../context.js';
import type { Core } from '../core.js';
import { deviceTokenForLogin } from '../device-tokens.js';
import { openSession, tokenPair, type RefreshFormat, type TokenPair } from '../sessions.js';
import { afterCommit, inTransaction } from '../transaction.js';
import type { User } from '../users/user.js';
import { recordLogin } from '../../store/users-repo.js';
import type { LoginSuccess } from './verdict.js';

export interface SessionOptions {
  /** false: record the login only (token-key profiles and the console issue their own credential). */
  openSession?: boolean;
  refreshFormat?: RefreshFormat;
  /** true: the result carries a device token for this client (issued, or the one presented). */
  issueDeviceToken?: boolean;
  /** Claims a profile adds to the access token, signed once with them. */
  claims?: (user: User) => ExtraClaims;
  /** More facts for the login's audit row (how it was let in: a password alone past a factor, an enrolment-only session). */
  auditDetail?: Record<string, unknown>;
}

export interface LoginResult {
  user: User;
  tokens?: TokenPair;
  deviceToken?: string;
}

/** What establishing a session uses, plus what the device-token and session steps it calls need. */
export type EstablishSessionCtx = Pick<Core, 'db' | 'log' | 'clock' | 'users'> &
  Parameters<typeof deviceTokenForLogin>[0] &
  Parameters<typeof openSession>[0] &
  Parameters<typeof tokenPair>[0];

/**
 * Opens a login's transaction and runs `work` in it with the audit rows it owes: by default a
 * transaction of its own, none owed; a redeemed mfa_token's (redeemMfaTokenInto) spends the factor
 * and consumes the token first, so they commit with the session or not at all.
 */
export type LoginTransaction = <T>(work: (trx: Db, audits: readonly AuditEvent[]) => Promise<T>) => Promise<T>;

/**
 * The second step of a login, for an account the first one (or another factor) let in: records the
 * login (a rehashed password, the forgiven failures), touches or issues the device token, writes the
 * audit row and opens the session in one transaction, then signs the access token once, with the
 * profile's claims. `transaction`: the one to do it in (a second factor's redemption, see LoginTransaction).
 */
export async function establishSession(
  ctx: EstablishSessionCtx,
  verdict: LoginSuccess,
  options: SessionOptions,
  meta: RequestMeta,
  transaction: LoginTransaction = (work) => inTransaction(ctx, (trx) => work(trx, [])),
): Promise<LoginResult> {
  const { user, device, newPasswordHash } = verdict;
  const now = ctx.clock.now();
  // A login through a device token leaves the account's failure count and lock as they are: they
  // hold back the other clients, and forgiving them would hand an attacker a fresh set of guesses.
  const reset = device ? {} : { failed_logins: 0, locked_until: null };
  const { session, deviceToken } = await transaction(async (trx, owed) => {
    await recordLogin(trx, user.id, { last_login: now, ...reset, ...(newPasswordHash ? { password_hash: newPasswordHash } : {}) });
    const deviceToken = options.issueDeviceToken || device ? await deviceTokenForLogin(ctx, trx, user.id, device, now) : undefined;
    const detail = { ...(newPasswordHash ? { rehashed: true } : {}), ...(device ? { device_token: true } : {}), ...options.auditDetail };
    await recordAudits(trx, [...owed, { kind: 'login.succeeded', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail }]);
    const session = options.openSession === false ? undefined : await openSession(ctx, trx, user.id, meta, options.refreshFormat, verdict.amr ?? ['pwd']);
    await afterCommit(ctx, trx, () => ctx.users.invalidate(user.id));
    return { session, deviceToken };
  });
  const fresh: User = { ...user, last_login: now, ...reset };
  const issued = options.issueDeviceToken ? { deviceToken } : {};
  if (!session) return { user: fresh, ...issued };
  const extra = options.claims ? options.claims(fresh) : {};
  return { user: fresh, tokens: await tokenPair(ctx, user.id, session.sessionId, session.refreshToken, session, extra), ...issued };
}
