import { sql, type Expression, type ExpressionBuilder, type ExpressionWrapper, type SqlBool } from 'kysely';
import type { Core } from '../core.js';
import { userFromRow, type User } from '../users/user.js';
import type { DialectName } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { countUpTo, type BoundedCount, decodeCursor, encodeCursor, listText, pageSize } from './paging.js';
import { searchConditions, searchWords, sqliteMatches, type SearchPlan } from './user-search.js';

export const userSorts = ['date_joined', 'last_login', 'username', 'email', 'id'] as const;
export type UserSort = (typeof userSorts)[number];

/** The users table as an operator searches it; every field optional. */
export interface UserQuery {
  /** Words each matched, case-insensitively, in username, email, first or last name (a word under three letters: the start of username or email); a number also matches the id. See user-search.ts. */
  q?: string;
  active?: boolean;
  verified?: boolean;
  staff?: boolean;
  /** Awaiting an administrator's activation (active but not approved). */
  pending?: boolean;
  /** Currently locked after failed logins. */
  locked?: boolean;
  joinedFrom?: number;
  joinedTo?: number;
  sort?: UserSort;
  order?: 'asc' | 'desc';
  cursor?: string;
  limit?: number;
}

export interface UserPage {
  items: User[];
  /** Opaque; pass back as `cursor` for the next page, null on the last one. */
  next_cursor: string | null;
  /** Matching users across all pages, exact up to `countCap` (10,000); at the cap when `total_capped`. */
  total: number;
  /** More than `total` users match: the count stopped at the cap. */
  total_capped: boolean;
}

const columns = [
  'id', 'username', 'username_key', 'email', 'email_key', 'first_name', 'last_name', 'phone_number', 'date_of_birth',
  'gender', 'bio', 'is_active', 'is_staff', 'is_superuser', 'email_verified', 'approved', 'date_joined', 'last_login',
  'password_changed_at', 'updated_at', 'failed_logins', 'locked_until', 'pending_email', 'avatar_etag',
] as const;

type UsersEb = ExpressionBuilder<Database, 'users'>;

/**
 * The value a sort orders by; text sorts are case-insensitive, a missing last login sorts as oldest.
 * `fromSearch`: a search with at most `countCap` matches, where an indexed key is written `+ 0` so
 * no planner walks that index in order testing every row for a few matches: the search index
 * finds them, then they (at most the cap) are sorted. A broader search walks the sort index in
 * order, testing each row, and stops at the page's limit: quick while matches are spread along
 * the order, slow only when they all lie far along it (docs/admin.md, "Counts at any size").
 */
function sortKey(eb: UsersEb, sort: UserSort, fromSearch: boolean): ExpressionWrapper<Database, 'users', string | number> {
  switch (sort) {
    case 'username':
      return eb.fn<string>('lower', ['username']);
    case 'email':
      return eb.fn<string>('lower', ['email']);
    case 'last_login':
      return eb.fn.coalesce('last_login', eb.lit(0));
    case 'date_joined':
      return fromSearch ? eb('date_joined', '+', 0) : eb.ref('date_joined');
    case 'id':
      return fromSearch ? eb('id', '+', 0) : eb.ref('id');
  }
}

/**
 * Flags are literals, not parameters: SQLite uses a partial index (staff, awaiting activation;
 * migration 010) only when the query repeats its condition with the same constants.
 */
function filters(eb: UsersEb, dialect: DialectName, query: UserQuery, now: number, plan: SearchPlan): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const is = (column: 'is_active' | 'email_verified' | 'is_staff' | 'is_superuser' | 'approved', value: boolean) => eb(column, '=', eb.lit(value ? 1 : 0));
  out.push(...searchConditions(eb, dialect, query.q, plan));
  if (query.active !== undefined) out.push(is('is_active', query.active));
  if (query.verified !== undefined) out.push(is('email_verified', query.verified));
  if (query.staff !== undefined) {
    out.push(query.staff ? eb.or([is('is_staff', true), is('is_superuser', true)]) : eb.and([is('is_staff', false), is('is_superuser', false)]));
  }
  // Pending = waiting for an administrator: not approved yet and not disabled (the overview counts the same).
  if (query.pending !== undefined) {
    out.push(query.pending ? eb.and([is('approved', false), is('is_active', true)]) : eb.or([is('approved', true), is('is_active', false)]));
  }
  if (query.locked !== undefined) {
    out.push(query.locked ? eb('locked_until', '>', now) : eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]));
  }
  if (query.joinedFrom !== undefined) out.push(eb('date_joined', '>=', query.joinedFrom));
  if (query.joinedTo !== undefined) out.push(eb('date_joined', '<', query.joinedTo));
  return out;
}

/** The users matching, up to the cap; on SQLite a search starts from the search index's matches, joined to users. */
async function countMatches(core: Core, query: UserQuery, now: number): Promise<BoundedCount> {
  const matches = core.dialect === 'sqlite' ? sqliteMatches(query.q) : undefined;
  if (!matches) return countUpTo(core.db, core.db.selectFrom('users').select((eb) => eb.lit(1).as('one')).where((eb) => eb.and(filters(eb, core.dialect, query, now, 'seek'))));
  return countUpTo(core.db, core.db
    .selectFrom(sql<{ user_id: number }>`(${matches})`.as('found'))
    .innerJoin('users', 'users.id', 'found.user_id')
    .select((eb) => eb.lit(1).as('one'))
    .where((eb) => eb.and(filters(eb as unknown as UsersEb, core.dialect, query, now, 'joined'))));
}

/**
 * Searches, filters and sorts users, a page at a time. Pages are keyset cursors over
 * (sort value, id), so they stay stable and cheap however deep an operator pages. The total
 * is counted first, up to the cap: it also tells a narrow search from a broad one.
 */
export async function listUsers(core: Core, query: UserQuery): Promise<UserPage> {
  listText(query.q, 'q');
  const sort = query.sort ?? 'date_joined';
  const order = query.order ?? 'desc';
  const limit = pageSize(query.limit, 200);
  const now = core.clock.now();
  const total = await countMatches(core, query, now);
  const searching = searchWords(query.q).length > 0;
  const fromSearch = searching && !total.capped;
  const plan: SearchPlan = fromSearch ? 'seek' : 'probe';
  const scope = `${sort}:${order}`;
  const textSort = sort === 'username' || sort === 'email';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, textSort ? 'text' : 'integer');
  const cmp = order === 'desc' ? '<' : '>';
  const rows = await core.db
    .selectFrom('users')
    .select(columns)
    .select((eb) => sortKey(eb, sort, fromSearch).as('sort_key'))
    .where((eb) => {
      const where = filters(eb, core.dialect, query, now, plan);
      if (after) {
        const key = sortKey(eb, sort, fromSearch);
        where.push(eb.or([eb(key, cmp, after.key), eb.and([eb(key, '=', after.key), eb('id', cmp, after.id)])]));
      }
      return eb.and(where);
    })
    .orderBy((eb) => sortKey(eb, sort, fromSearch), order)
    .orderBy('id', order)
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => userFromRow(row)),
    next_cursor: rows.length > limit && last ? encodeCursor(scope, { key: last.sort_key, id: Number(last.id) }) : null,
    total: total.n,
    total_capped: total.capped,
  };
}
