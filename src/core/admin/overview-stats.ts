import type { BoundedCount } from '../../store/bounded-count.js';
import { outboxStatusCounts, outboxStatuses, type OutboxStatus } from '../../store/outbox-repo.js';
import { auditKindCountSince, auditKindPerDay, liveSessionCount, lockedUserCount, signupsPerDay, userStateCounts, type DayTally } from '../../store/stats-repo.js';
import type { Ctx } from '../context.js';

/** What the overview reads: the database, the time, the session idle limit. */
export type OverviewCtx = Pick<Ctx, 'db' | 'clock' | 'config'>;

const dayMs = 86_400_000;

export interface DayCount {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface Overview {
  users: { total: number; active: number; inactive: number; staff: number; pending_activation: number; unverified: number; locked: number };
  active_sessions: number;
  failed_logins_24h: number;
  signups_per_day: DayCount[];
  logins_per_day: DayCount[];
  failed_logins_per_day: DayCount[];
  mail: Record<OutboxStatus, number>;
  /**
   * The counts that stopped at the cap (10,000), by path (`users.locked`, `active_sessions`,
   * `failed_logins_24h`, `mail.sent`): more than that many. The other account counts are exact.
   */
  capped: string[];
}

/** One value per day from `from` to today, zero where nothing happened. */
function series(from: number, days: number, rows: DayTally[]): DayCount[] {
  const byDay = new Map(rows.map((r) => [r.day, r.n]));
  const first = from / dayMs;
  return Array.from({ length: days }, (_, i) => ({ day: new Date((first + i) * dayMs).toISOString().slice(0, 10), count: byDay.get(first + i) ?? 0 }));
}

/**
 * What the console's first page shows: account counts, activity per day, mail queue; none
 * reads more rows as the deployment grows. Account states come from `user_counts` (one row,
 * kept exact by triggers, migration 010); what depends on the time (locked now, live sessions,
 * failed logins in 24 h) and the mail queue are counted through an index, up to the cap.
 */
export async function overviewStats(ctx: OverviewCtx, days = 14): Promise<Overview> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const span = Math.min(Math.max(Math.trunc(days), 1), 90);
  const from = Math.floor(now / dayMs) * dayMs - (span - 1) * dayMs;
  const [counts, locked, sessions, failed24h, signups, logins, failures, mail] = await Promise.all([
    userStateCounts(db),
    lockedUserCount(db, now),
    liveSessionCount(db, now, now - ctx.config.sessionIdleSeconds * 1000),
    auditKindCountSince(db, 'login.failed', now - dayMs),
    signupsPerDay(db, from),
    auditKindPerDay(db, 'login.succeeded', from),
    auditKindPerDay(db, 'login.failed', from),
    outboxStatusCounts(db),
  ]);
  const capped: string[] = [];
  const bounded = (path: string, c: BoundedCount) => {
    if (c.capped) capped.push(path);
    return c.n;
  };
  return {
    users: {
      total: counts.total,
      active: counts.active,
      inactive: counts.total - counts.active,
      staff: counts.staff,
      pending_activation: counts.pending,
      unverified: counts.unverified,
      locked: bounded('users.locked', locked),
    },
    active_sessions: bounded('active_sessions', sessions),
    failed_logins_24h: bounded('failed_logins_24h', failed24h),
    signups_per_day: series(from, span, signups),
    logins_per_day: series(from, span, logins),
    failed_logins_per_day: series(from, span, failures),
    mail: Object.fromEntries(outboxStatuses.map((status, i) => [status, bounded(`mail.${status}`, mail[i]!)])) as Record<OutboxStatus, number>,
    capped,
  };
}
