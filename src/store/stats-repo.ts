import { sql } from 'kysely';
import { countUpTo, type BoundedCount } from './bounded-count.js';
import type { Db } from './dialect/index.js';
import { userCountColumns } from './migrations/010_admin_list_indexes.js';

/** The overview's account-state counts, as `user_counts` (one row, kept exact by migration 010's triggers) holds them. */
export type UserStateCounts = Record<(typeof userCountColumns)[number], number>;

/** Reads the account-state counts: one row, whatever the number of accounts. */
export async function userStateCounts(db: Db): Promise<UserStateCounts> {
  const { rows } = await sql<Record<string, number | string>>`select ${sql.join(userCountColumns.map((c) => sql.ref(c)))} from user_counts where id = 1`.execute(db);
  const row = rows[0];
  return Object.fromEntries(userCountColumns.map((c) => [c, Number(row?.[c] ?? 0)])) as UserStateCounts;
}

const one = sql.lit(1).as('one');

/** Accounts locked at `now`, through the partial index of accounts ever locked, up to the cap. */
export function lockedUserCount(db: Db, now: number): Promise<BoundedCount> {
  return countUpTo(db, db.selectFrom('users').select(one).where('locked_until', '>', now));
}

/** Sessions neither revoked nor expired at `now` and used after `usedAfter`, up to the cap. */
export function liveSessionCount(db: Db, now: number, usedAfter: number): Promise<BoundedCount> {
  return countUpTo(db, db.selectFrom('sessions').select(one)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_used_at', '>', usedAfter));
}

/** Audit events of `kind` after `since`, through the (kind, at) index, up to the cap. */
export function auditKindCountSince(db: Db, kind: string, since: number): Promise<BoundedCount> {
  return countUpTo(db, db.selectFrom('audit_events').select(one).where('kind', '=', kind).where('at', '>', since));
}

/** Rows per day (day number `at / dayMs`), from `from` on. */
export interface DayTally {
  day: number;
  n: number;
}

const dayMs = 86_400_000;

/** Audit events of `kind` per day since `from`. */
export async function auditKindPerDay(db: Db, kind: string, from: number): Promise<DayTally[]> {
  const day = sql<number>`at / ${sql.lit(dayMs)}`;
  const rows = await db
    .selectFrom('audit_events')
    .select([day.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('kind', '=', kind)
    .where('at', '>=', from)
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: Number(r.day), n: Number(r.n) }));
}

/** Accounts that joined per day since `from`. */
export async function signupsPerDay(db: Db, from: number): Promise<DayTally[]> {
  const day = sql<number>`date_joined / ${sql.lit(dayMs)}`;
  const rows = await db
    .selectFrom('users')
    .select([day.as('day'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('date_joined', '>=', from)
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: Number(r.day), n: Number(r.n) }));
}
