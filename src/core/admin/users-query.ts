import { sql, type Expression, type ExpressionBuilder, type ExpressionWrapper, type SqlBool } from 'kysely';
import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { hasControlChars } from '../users/normalize.js';
import { userFromRow, type User } from '../users/user.js';
import type { Database } from '../../store/schema.js';
import { decodeCursor, encodeCursor, likePattern } from './paging.js';

export const userSorts = ['date_joined', 'last_login', 'username', 'email', 'id'] as const;
export type UserSort = (typeof userSorts)[number];

/** The users table as an operator searches it; every field optional. */
export interface UserQuery {
  /** Words matched (case-insensitively, each somewhere) against username, email, first and last name; a number also matches the id. */
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

/** The value a sort orders by; text sorts are case-insensitive, a missing last login sorts as oldest. */
function sortKey(eb: UsersEb, sort: UserSort): ExpressionWrapper<Database, 'users', string | number> {
  switch (sort) {
    case 'username':
      return eb.fn<string>('lower', ['username']);
    case 'email':
      return eb.fn<string>('lower', ['email']);
    case 'last_login':
      return eb.fn.coalesce('last_login', eb.lit(0));
    case 'date_joined':
      return eb.ref('date_joined');
    case 'id':
      return eb.ref('id');
  }
}

function filters(eb: UsersEb, query: UserQuery, now: number): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const words = (query.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
  for (const word of words) {
    const pattern = likePattern(word.toLowerCase());
    const like = (col: 'username' | 'email' | 'first_name' | 'last_name') => sql<SqlBool>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`;
    const any: Expression<SqlBool>[] = [like('username'), like('email'), like('first_name'), like('last_name')];
    if (/^[0-9]{1,15}$/.test(word)) any.push(eb('id', '=', Number(word)));
    out.push(eb.or(any));
  }
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
  if (query.q !== undefined && hasControlChars(query.q)) throw new AuthError('validation_failed', undefined, { q: ['Control characters are not allowed.'] });
  const sort = query.sort ?? 'date_joined';
  const order = query.order ?? 'desc';
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const now = core.clock.now();
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, `${sort}:${order}`);
  const afterKey = after?.key;
  const textSort = sort === 'username' || sort === 'email';
  if (after && (textSort ? typeof afterKey !== 'string' : typeof afterKey !== 'number' || !Number.isSafeInteger(afterKey))) throw new AuthError('validation_failed', undefined, { cursor: ['Invalid cursor.'] });
  const cmp = order === 'desc' ? '<' : '>';
  const rows = await core.db
    .selectFrom('users')
    .select(columns)
    .select((eb) => sortKey(eb, sort).as('sort_key'))
    .where((eb) => {
      const where = filters(eb, query, now);
      if (after && afterKey !== undefined) {
        const key = sortKey(eb, sort);
        where.push(eb.or([eb(key, cmp, afterKey), eb.and([eb(key, '=', afterKey), eb('id', cmp, after.id)])]));
      }
      return eb.and(where);
    })
    .orderBy((eb) => sortKey(eb, sort), order)
    .orderBy('id', order)
    .limit(limit + 1)
    .execute();
  const total = await core.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.and(filters(eb, query, now)))
    .executeTakeFirstOrThrow();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => userFromRow(row)),
    next_cursor: rows.length > limit && last ? encodeCursor(`${sort}:${order}`, { key: last.sort_key, id: Number(last.id) }) : null,
    total: Number(total.n),
  };
}
