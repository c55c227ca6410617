import { sql } from 'kysely';
import type { Core } from '../core.js';
import { outboxStatusCounts, outboxStatuses, type OutboxStatus } from '../../mail/outbox.js';
import { userCountColumns } from '../../store/migrations/010_admin_list_indexes.js';
import { countUpTo, type BoundedCount } from './paging.js';

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
function series(from: number, days: number, rows: { day: number | string; n: number | string }[]): DayCount[] {
  const byDay = new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  const first = from / dayMs;
  return Array.from({ length: days }, (_, i) => ({ day: new Date((first + i) * dayMs).toISOString().slice(0, 10), count: byDay.get(first + i) ?? 0 }));
}

async function auditPerDay(core: Core, kind: string, from: number) {
  return core.db
    .selectFrom('audit_events')
    .select([sql<number>`at / ${sql.lit(dayMs)}`.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('kind', '=', kind)
    .where('at', '>=', from)
    .groupBy(sql`at / ${sql.lit(dayMs)}`)
    .execute();
}

type UserCounts = Record<(typeof userCountColumns)[number], number | string>;

/**
 * What the console's first page shows: account counts, activity per day, mail queue; none
 * reads more rows as the deployment grows. Account states come from `user_counts` (one row,
 * kept exact by triggers, migration 010); what depends on the time (locked now, live sessions,
 * failed logins in 24 h) and the mail queue are counted through an index, up to the cap.
 */
export async function overviewStats(core: Core, days = 14): Promise<Overview> {
  const now = core.clock.now();
  const span = Math.min(Math.max(Math.trunc(days), 1), 90);
  const from = Math.floor(now / dayMs) * dayMs - (span - 1) * dayMs;
  const one = sql.lit(1).as('one');
  const [counts, locked, sessions, failed24h, signups, logins, failures, mail] = await Promise.all([
    sql<UserCounts>`select ${sql.join(userCountColumns.map((c) => sql.ref(c)))} from user_counts where id = 1`.execute(core.db),
    countUpTo(core.db, core.db.selectFrom('users').select(one).where('locked_until', '>', now)),
    countUpTo(core.db, core.db.selectFrom('sessions').select(one)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .where('last_used_at', '>', now - core.config.sessionIdleSeconds * 1000)),
    countUpTo(core.db, core.db.selectFrom('audit_events').select(one).where('kind', '=', 'login.failed').where('at', '>', now - dayMs)),
    core.db
      .selectFrom('users')
      .select([sql<number>`date_joined / ${sql.lit(dayMs)}`.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('date_joined', '>=', from)
      .groupBy(sql`date_joined / ${sql.lit(dayMs)}`)
      .execute(),
    auditPerDay(core, 'login.succeeded', from),
    auditPerDay(core, 'login.failed', from),
    outboxStatusCounts(core.db),
  ]);
  const row = counts.rows[0];
  const count = (c: (typeof userCountColumns)[number]) => Number(row?.[c] ?? 0);
  const capped: string[] = [];
  const bounded = (path: string, c: BoundedCount) => {
    if (c.capped) capped.push(path);
    return c.n;
  };
  return {
    users: {
      total: count('total'),
      active: count('active'),
      inactive: count('total') - count('active'),
      staff: count('staff'),
      pending_activation: count('pending'),
      unverified: count('unverified'),
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
