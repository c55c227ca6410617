import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { authenticateLogin, loginRefusal, type LoginCtx } from '../login.js';
import type { SecondFactor } from '../login/second-factors.js';
import type { FactorRequired } from '../login/verdict.js';
import { issueMfaToken } from '../mfa/mfa-token.js';
import { completePasswordLogin } from '../mfa/password-login.js';
import { enforceRateLimit } from '../rate-limit.js';
import { constantTimeEqual, randomToken, tokenDigest } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import type { User } from '../users/user.js';
import { adminLevelOf } from './permissions.js';
import { deleteConsoleSession, findConsoleSession, openConsoleSession, touchConsoleSession } from '../../store/console-sessions-repo.js';

/** What resolving and ending a console session needs. */
export type ConsoleSessionsCtx = Pick<Core, 'db' | 'log' | 'clock' | 'users'>;
/** Signing in is a login (with its rate limits) plus a console session. */
export type SignInConsoleCtx = LoginCtx & Parameters<typeof enforceRateLimit>[0] & ConsoleSessionsCtx;

/** A console session ends after this long without a request… */
export const consoleIdleSeconds = 30 * 60;
/** …and this long after sign-in, whatever happens. */
export const consoleMaxSeconds = 12 * 3600;
/** last_used_at is written at most this often (a page view is not worth a write each time). */
const touchEveryMs = 30_000;

export interface ConsoleSession {
  user: User;
  csrfToken: string;
  idHash: string;
  expiresAt: number;
}

/** What a right password at the console's sign-in leads to. */
export type ConsoleSignIn =
  | { kind: 'signed_in'; token: string; session: ConsoleSession }
  /** The account has further factors: the console's second step, on this mfa_token (core/mfa/mfa-token.ts). */
  | { kind: 'factor_required'; mfaToken: string; factors: readonly SecondFactor[]; expiresIn: number };

/**
 * Signs a staff member in to the web console. The password check is the login pipeline itself
 * (rate limits, lockout, dummy hash for unknown accounts, audit, the "require MFA" settings), plus a
 * per-IP console limit. An account with a second factor gets an mfa_token for the second step
 * (finishConsoleSignIn) instead of a session; otherwise the cookie value (stored only as its digest) and the session.
 */
export async function signInConsole(core: SignInConsoleCtx, input: { login: string; password: string }, meta: RequestMeta): Promise<ConsoleSignIn> {
  await enforceRateLimit(core, 'console_ip', meta.ip);
  await enforceRateLimit(core, 'console_account', input.login.trim().toLowerCase());
  const now = core.clock.now();
  let passed: { kind: 'success'; user: User } | FactorRequired;
  try {
    const verdict = await authenticateLogin(core, input, { by: 'either' }, meta);
    if (verdict.kind === 'failure') throw loginRefusal(verdict.reason);
    passed = verdict.kind === 'factor_required' ? verdict : { kind: 'success', user: (await completePasswordLogin(core, verdict, { openSession: false }, meta)).user };
  } catch (err) {
    // Throttled attempts are not audited: a flood of them must not flood the audit log.
    if (err instanceof AuthError && err.code !== 'rate_limited') {
      await recordAudit(core.db, { kind: 'console.sign_in_failed', at: now, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: err.code, login: input.login.trim().slice(0, 254) } });
    }
    throw err;
  }
  await assertConsoleStaff(core, passed.user, meta);
  if (passed.kind === 'factor_required') return { kind: 'factor_required', ...(await issueMfaToken(core, passed, meta)) };
  return { kind: 'signed_in', ...(await openConsoleSignIn(core, passed.user, meta, ['pwd'])) };
}

/** Refuses (audited) an account that may not use the console. */
export async function assertConsoleStaff(core: Pick<Core, 'db' | 'clock'>, user: User, meta: RequestMeta): Promise<void> {
  if (adminLevelOf(user)) return;
  await recordAudit(core.db, { kind: 'console.sign_in_failed', at: core.clock.now(), userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { reason: 'not_staff' } });
  throw new AuthError('permission_denied', 'This account may not use the console.');
}

/** Opens the console session of a staff member the sign-in let in, audited with how they authenticated (RFC 8176 amr). */
export async function openConsoleSignIn(core: ConsoleSessionsCtx, user: User, meta: RequestMeta, amr: readonly string[]): Promise<{ token: string; session: ConsoleSession }> {
  const now = core.clock.now();
  const token = randomToken(32);
  const session: ConsoleSession = { user, csrfToken: randomToken(24), idHash: tokenDigest(token), expiresAt: now + consoleMaxSeconds * 1000 };
  await inTransaction(core, async (trx) => {
    await openConsoleSession(trx, { id_hash: session.idHash, user_id: user.id, csrf_token: session.csrfToken, created_at: now, last_used_at: now, expires_at: session.expiresAt, ip: meta.ip.slice(0, 64), user_agent: meta.userAgent.slice(0, 512) });
    await recordAudit(trx, { kind: 'console.signed_in', at: now, userId: user.id, actorId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { amr } });
  });
  return { token, session };
}

/**
 * The live console session a cookie names, or undefined. A session dies when idle too long, past
 * its absolute lifetime, when its user stops being active staff, or when the password changed after it began.
 */
export async function resolveConsoleSession(core: ConsoleSessionsCtx, token: string): Promise<ConsoleSession | undefined> {
  if (token.length < 20 || token.length > 100) return undefined;
  const idHash = tokenDigest(token);
  const row = await findConsoleSession(core.db, idHash);
  if (!row) return undefined;
  const now = core.clock.now();
  const user = await core.users.get(row.user_id);
  const dead = row.expires_at <= now || row.last_used_at + consoleIdleSeconds * 1000 <= now || !user || !adminLevelOf(user) || row.created_at < user.password_changed_at;
  if (dead) {
    await deleteConsoleSession(core.db, idHash);
    return undefined;
  }
  if (now - row.last_used_at >= touchEveryMs) await touchConsoleSession(core.db, idHash, now);
  return { user, csrfToken: row.csrf_token, idHash, expiresAt: row.expires_at };
}

/** True when `presented` is this session's CSRF token (constant-time). */
export function csrfMatches(session: ConsoleSession, presented: unknown): boolean {
  return typeof presented === 'string' && presented.length > 0 && constantTimeEqual(presented, session.csrfToken);
}

export async function signOutConsole(core: ConsoleSessionsCtx, session: ConsoleSession, meta: RequestMeta): Promise<void> {
  await inTransaction(core, async (trx) => {
    await deleteConsoleSession(trx, session.idHash);
    await recordAudit(trx, { kind: 'console.signed_out', at: core.clock.now(), userId: session.user.id, actorId: session.user.id, ip: meta.ip, userAgent: meta.userAgent });
  });
}
