import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { deviceTokenFailed, type DeviceToken } from '../device-tokens.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { countFailedLogin, lockAccountUntil, noSuchUserId } from '../../store/users-repo.js';
import type { LoginFailure, LoginFailureReason } from './verdict.js';

/** What failure accounting uses, plus what the device-token step it calls needs. */
export type FailLoginCtx = Pick<Core, 'db' | 'log' | 'settings' | 'users'> & Parameters<typeof deviceTokenFailed>[0];

const maxLockSeconds = 3600;

/** Seconds an account stays locked after `failures` consecutive failures (doubling per lock, capped). */
export function lockSeconds(ctx: Pick<Core, 'settings'>, failures: number): number {
  const threshold = ctx.settings.get('lockout_threshold');
  if (failures < threshold || failures % threshold !== 0) return 0;
  const locks = failures / threshold;
  return Math.min(ctx.settings.get('lockout_seconds') * 2 ** (locks - 1), maxLockSeconds);
}

export interface FailedAttempt {
  reason: Extract<LoginFailureReason, 'unknown_account' | 'password_too_long' | 'locked' | 'wrong_password'>;
  /** The account the login resolved to, if any. */
  userId?: number;
  /** false: the failure is not counted against the account (it is locked, or a device token carries it). */
  counts: boolean;
  device?: DeviceToken;
  /** More facts for the audit row. */
  detail?: Record<string, unknown>;
}

/**
 * Every failed password check does the same database work — one transaction with the failure
 * increment (against an id no account has when nothing is counted) and the audit row — and the
 * same cache work, so an unknown login, a locked account and a wrong password cost alike.
 * Two statements more when a threshold is reached: the lock length is computed here, not in SQL.
 */
export async function failLogin(ctx: FailLoginCtx, attempt: FailedAttempt, meta: RequestMeta, now: number): Promise<LoginFailure> {
  const counted = attempt.counts && attempt.userId !== undefined ? attempt.userId : noSuchUserId;
  await inTransaction(ctx, async (trx) => {
    const failures = await countFailedLogin(trx, counted);
    const lock = failures === undefined ? 0 : lockSeconds(ctx, failures);
    if (lock) await lockAccountUntil(trx, counted, now + lock * 1000);
    if (attempt.device) await deviceTokenFailed(ctx, trx, attempt.device);
    const detail = { reason: attempt.reason, ...attempt.detail };
    await recordAudit(trx, { kind: 'login.failed', at: now, userId: attempt.userId, ip: meta.ip, userAgent: meta.userAgent, detail });
    if (lock) await recordAudit(trx, { kind: 'account.locked', at: now, userId: counted, ip: meta.ip, userAgent: meta.userAgent, detail: { seconds: lock, failures } });
    await afterCommit(ctx, trx, () => ctx.users.invalidate(attempt.userId ?? noSuchUserId));
  });
  return { kind: 'failure', reason: attempt.reason };
}
