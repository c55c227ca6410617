import { sql } from 'kysely';
import type { Core } from '../core.js';
import { outboxStats, type OutboxStatus } from '../../mail/outbox.js';

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

/** What the console's first page shows: account counts, activity per day, mail queue. */
export async function overviewStats(core: Core, days = 14): Promise<Overview> {
  const now = core.clock.now();
  const span = Math.min(Math.max(Math.trunc(days), 1), 90);
  const from = Math.floor(now / dayMs) * dayMs - (span - 1) * dayMs;
  const flagSum = (condition: ReturnType<typeof sql>) => sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`;
  const [counts, sessions, failed24h, signups, logins, failures, mail] = await Promise.all([
    core.db
      .selectFrom('users')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('total'),
        flagSum(sql`is_active = 1`).as('active'),
        flagSum(sql`is_staff = 1 or is_superuser = 1`).as('staff'),
        flagSum(sql`approved = 0 and is_active = 1`).as('pending'),
        flagSum(sql`email_verified = 0`).as('unverified'),
        flagSum(sql`locked_until > ${now}`).as('locked'),
      ])
      .executeTakeFirstOrThrow(),
    core.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .where('last_used_at', '>', now - core.config.sessionIdleSeconds * 1000)
      .executeTakeFirstOrThrow(),
    core.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('kind', '=', 'login.failed')
      .where('at', '>', now - dayMs)
      .executeTakeFirstOrThrow(),
    core.db
      .selectFrom('users')
      .select([sql<number>`date_joined / ${sql.lit(dayMs)}`.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('date_joined', '>=', from)
      .groupBy(sql`date_joined / ${sql.lit(dayMs)}`)
      .execute(),
    auditPerDay(core, 'login.succeeded', from),
    auditPerDay(core, 'login.failed', from),
    outboxStats(core.db),
  ]);
  const total = Number(counts.total);
  const active = Number(counts.active ?? 0);
  return {
    users: {
      total,
      active,
      inactive: total - active,
      staff: Number(counts.staff ?? 0),
      pending_activation: Number(counts.pending ?? 0),
      unverified: Number(counts.unverified ?? 0),
      locked: Number(counts.locked ?? 0),
    },
    active_sessions: Number(sessions.n),
    failed_logins_24h: Number(failed24h.n),
    signups_per_day: series(from, span, signups),
    logins_per_day: series(from, span, logins),
    failed_logins_per_day: series(from, span, failures),
    mail,
  };
}
