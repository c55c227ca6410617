import type { Expression, ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Core } from '../core.js';
import { userFromRow, type User } from '../users/user.js';
import type { DialectName } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { decodeCursor, encodeCursor, listText, pageSize } from './paging.js';
import { searchConditions, searchWords } from './user-search.js';

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
  /** Matching users across all pages. */
  total: number;
}

const columns = [
  'id', 'username', 'username_key', 'email', 'email_key', 'first_name', 'last_name', 'phone_number', 'date_of_birth',
  'gender', 'bio', 'is_active', 'is_staff', 'is_superuser', 'email_verified', 'approved', 'date_joined', 'last_login',
  'password_changed_at', 'updated_at', 'failed_logins', 'locked_until', 'pending_email', 'avatar_etag',
] as const;

type UsersEb = ExpressionBuilder<Database, 'users'>;

/**
 * The value a sort orders by; text sorts are case-insensitive, a missing last login sorts as oldest.
 * With a search, an indexed key is written `+ 0` so no planner walks that index in order, testing
 * every row for a few matches: the search index finds them, then they are sorted.
 */
function sortKey(eb: UsersEb, sort: UserSort, searching: boolean): ExpressionWrapper<Database, 'users', string | number> {
  switch (sort) {
    case 'username':
      return eb.fn<string>('lower', ['username']);
    case 'email':
      return eb.fn<string>('lower', ['email']);
    case 'last_login':
      return eb.fn.coalesce('last_login', eb.lit(0));
    case 'date_joined':
      return searching ? eb('date_joined', '+', 0) : eb.ref('date_joined');
    case 'id':
      return searching ? eb('id', '+', 0) : eb.ref('id');
  }
}

function filters(eb: UsersEb, dialect: DialectName, query: UserQuery, now: number): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  out.push(...searchConditions(eb, dialect, query.q));
  if (query.active !== undefined) out.push(eb('is_active', '=', query.active ? 1 : 0));
  if (query.verified !== undefined) out.push(eb('email_verified', '=', query.verified ? 1 : 0));
  if (query.staff !== undefined) {
    out.push(query.staff ? eb.or([eb('is_staff', '=', 1), eb('is_superuser', '=', 1)]) : eb.and([eb('is_staff', '=', 0), eb('is_superuser', '=', 0)]));
  }
  // Pending = waiting for an administrator: not approved yet and not disabled (the overview counts the same).
  if (query.pending !== undefined) {
    out.push(query.pending ? eb.and([eb('approved', '=', 0), eb('is_active', '=', 1)]) : eb.or([eb('approved', '=', 1), eb('is_active', '=', 0)]));
  }
  if (query.locked !== undefined) {
    out.push(query.locked ? eb('locked_until', '>', now) : eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]));
  }
  if (query.joinedFrom !== undefined) out.push(eb('date_joined', '>=', query.joinedFrom));
  if (query.joinedTo !== undefined) out.push(eb('date_joined', '<', query.joinedTo));
  return out;
}

/**
 * Searches, filters and sorts users, a page at a time. Pages are keyset cursors over
 * (sort value, id), so they stay stable and cheap however deep an operator pages.
 */
export async function listUsers(core: Core, query: UserQuery): Promise<UserPage> {
  listText(query.q, 'q');
  const sort = query.sort ?? 'date_joined';
  const order = query.order ?? 'desc';
  const limit = pageSize(query.limit, 200);
  const now = core.clock.now();
  const searching = searchWords(query.q).length > 0;
  const scope = `${sort}:${order}`;
  const textSort = sort === 'username' || sort === 'email';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, textSort ? 'text' : 'integer');
  const cmp = order === 'desc' ? '<' : '>';
  const rows = await core.db
    .selectFrom('users')
    .select(columns)
    .select((eb) => sortKey(eb, sort, searching).as('sort_key'))
    .where((eb) => {
      const where = filters(eb, core.dialect, query, now);
      if (after) {
        const key = sortKey(eb, sort, searching);
        where.push(eb.or([eb(key, cmp, after.key), eb.and([eb(key, '=', after.key), eb('id', cmp, after.id)])]));
      }
      return eb.and(where);
    })
    .orderBy((eb) => sortKey(eb, sort, searching), order)
    .orderBy('id', order)
    .limit(limit + 1)
    .execute();
  const total = await core.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.and(filters(eb, core.dialect, query, now)))
    .executeTakeFirstOrThrow();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => userFromRow(row)),
    next_cursor: rows.length > limit && last ? encodeCursor(scope, { key: last.sort_key, id: Number(last.id) }) : null,
    total: Number(total.n),
  };
}
