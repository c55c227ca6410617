import { sql, type Expression, type ExpressionBuilder, type ExpressionWrapper, type SqlBool } from 'kysely';
import { countUpTo, type BoundedCount } from './bounded-count.js';
import { dialectOf, type Db } from './dialect/index.js';
import type { SearchPlan, SubstringWord } from './dialect/user-search.js';
import { likePattern } from './like-pattern.js';
import type { Database } from './schema.js';
import { emailKey, usernameKey } from './user-keys.js';
import { publicColumns, userFromRow, type User } from './user-row.js';

export type UserSort = 'date_joined' | 'last_login' | 'username' | 'email' | 'id';

/** One word of an admin search, as core parsed it: each must match. */
export interface SearchWord extends SubstringWord {
  /** `substring`: anywhere in username, email, first or last name (search index); `prefix`: the start of the username or email. */
  match: 'substring' | 'prefix';
}

/** Which users a listing shows; every condition optional but `words` (empty: no search). */
export interface UserFilter {
  words: SearchWord[];
  active?: boolean;
  verified?: boolean;
  staff?: boolean;
  /** Awaiting an administrator: not approved yet and not disabled. */
  pending?: boolean;
  /** Locked after failed logins at `now`. */
  locked?: boolean;
  joinedFrom?: number;
  joinedTo?: number;
  now: number;
}

export interface UserPageRequest {
  sort: UserSort;
  order: 'asc' | 'desc';
  /** The last row of the previous page. */
  after?: { key: string | number; id: number };
  limit: number;
  /** At most `countCap` users match (the count said so): the search index finds them, then they are sorted. */
  narrow: boolean;
}

type UsersEb = ExpressionBuilder<Database, 'users'>;

// Above every code point, so `key < prefix + top` holds for every key starting with the prefix.
const top = '\u{10FFFF}';

/** `column` starts with `prefix`: an index range, with LIKE checking the exact prefix. */
function startsWith(eb: UsersEb, column: 'username_key' | 'email_key', prefix: string): Expression<SqlBool> {
  // likePattern's leading `%` dropped: the prefix with LIKE's wildcards escaped, then `%`.
  const pattern = likePattern(prefix).slice(1);
  return eb.and([eb(column, '>=', prefix), eb(column, '<', prefix + top), sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`]);
}

/** A word too short for trigrams: the start of the username or email (a range on their unique keys), or the id. */
function prefixWord(eb: UsersEb, word: SearchWord): Expression<SqlBool> {
  const any: Expression<SqlBool>[] = [startsWith(eb, 'username_key', usernameKey(word.text)), startsWith(eb, 'email_key', emailKey(word.text))];
  if (word.id !== undefined) any.push(eb('id', '=', word.id));
  return eb.or(any);
}

const substrings = (filter: UserFilter) => filter.words.filter((w) => w.match === 'substring');

/**
 * The value a sort orders by; text sorts are case-insensitive, a missing last login sorts as oldest.
 * `narrow`: an indexed key is written `+ 0` so no planner walks that index in order testing every
 * row for a few matches: the search index finds them, then they (at most the cap) are sorted. A
 * broader search walks the sort index in order, testing each row, and stops at the page's limit:
 * quick while matches are spread along the order, slow only when they all lie far along it
 * (docs/admin.md, "Counts at any size").
 */
function sortKey(eb: UsersEb, sort: UserSort, narrow: boolean): ExpressionWrapper<Database, 'users', string | number> {
  switch (sort) {
    case 'username':
      return eb.fn<string>('lower', ['username']);
    case 'email':
      return eb.fn<string>('lower', ['email']);
    case 'last_login':
      return eb.fn.coalesce('last_login', eb.lit(0));
    case 'date_joined':
      return narrow ? eb('date_joined', '+', 0) : eb.ref('date_joined');
    case 'id':
      return narrow ? eb('id', '+', 0) : eb.ref('id');
  }
}

/**
 * The filter as conditions, one per word and flag. Flags are literals, not parameters: SQLite uses
 * a partial index (staff, awaiting activation; migration 010) only when the query repeats its
 * condition with the same constants. `plan` undefined: the substring words are already joined.
 */
function conditions(db: Db, eb: UsersEb, filter: UserFilter, plan: SearchPlan | undefined): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const is = (column: 'is_active' | 'email_verified' | 'is_staff' | 'is_superuser' | 'approved', value: boolean) => eb(column, '=', eb.lit(value ? 1 : 0));
  const words = substrings(filter);
  if (plan && words.length > 0) out.push(...dialectOf(db).userSearch.conditions(eb, words, plan));
  out.push(...filter.words.filter((w) => w.match === 'prefix').map((w) => prefixWord(eb, w)));
  if (filter.active !== undefined) out.push(is('is_active', filter.active));
  if (filter.verified !== undefined) out.push(is('email_verified', filter.verified));
  if (filter.staff !== undefined) {
    out.push(filter.staff ? eb.or([is('is_staff', true), is('is_superuser', true)]) : eb.and([is('is_staff', false), is('is_superuser', false)]));
  }
  if (filter.pending !== undefined) {
    out.push(filter.pending ? eb.and([is('approved', false), is('is_active', true)]) : eb.or([is('approved', true), is('is_active', false)]));
  }
  if (filter.locked !== undefined) {
    out.push(filter.locked ? eb('locked_until', '>', filter.now) : eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', filter.now)]));
  }
  if (filter.joinedFrom !== undefined) out.push(eb('date_joined', '>=', filter.joinedFrom));
  if (filter.joinedTo !== undefined) out.push(eb('date_joined', '<', filter.joinedTo));
  return out;
}

/** The users matching, up to the cap; where the dialect says so, a search starts from the search index's matches, joined to users. */
export async function countMatchingUsers(db: Db, filter: UserFilter): Promise<BoundedCount> {
  const words = substrings(filter);
  const matches = words.length > 0 ? dialectOf(db).userSearch.matchingIds(words) : undefined;
  if (!matches) return countUpTo(db, db.selectFrom('users').select((eb) => eb.lit(1).as('one')).where((eb) => eb.and(conditions(db, eb, filter, 'seek'))));
  return countUpTo(db, db
    .selectFrom(sql<{ user_id: number }>`(${matches})`.as('found'))
    .innerJoin('users', 'users.id', 'found.user_id')
    .select((eb) => eb.lit(1).as('one'))
    .where((eb) => eb.and(conditions(db, eb as unknown as UsersEb, filter, undefined))));
}

/**
 * One page of matching users in keyset order (sort value, then id), one row past `limit` to tell
 * whether another page follows; each with the sort value its cursor is made of.
 */
export async function listUsersPage(db: Db, filter: UserFilter, page: UserPageRequest): Promise<{ user: User; sortKey: string | number }[]> {
  const { sort, order, after, narrow } = page;
  const cmp = order === 'desc' ? '<' : '>';
  const rows = await db
    .selectFrom('users')
    .select(publicColumns)
    .select((eb) => sortKey(eb, sort, narrow).as('sort_key'))
    .where((eb) => {
      const where = conditions(db, eb, filter, narrow ? 'seek' : 'probe');
      if (after) {
        const key = sortKey(eb, sort, narrow);
        where.push(eb.or([eb(key, cmp, after.key), eb.and([eb(key, '=', after.key), eb('id', cmp, after.id)])]));
      }
      return eb.and(where);
    })
    .orderBy((eb) => sortKey(eb, sort, narrow), order)
    .orderBy('id', order)
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => ({ user: userFromRow(row), sortKey: row.sort_key }));
}
