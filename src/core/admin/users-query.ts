import type { Core } from '../core.js';
import type { User } from '../users/user.js';
import { countMatchingUsers, listUsersPage, type UserFilter, type UserSort } from '../../store/user-list-repo.js';
import { decodeCursor, encodeCursor, listText, pageSize } from './paging.js';
import { parseSearch } from './user-search.js';

export const userSorts = ['date_joined', 'last_login', 'username', 'email', 'id'] as const satisfies readonly UserSort[];
export type { UserSort };

/** The users table as an operator searches it; every field optional (the flag filters are the store's). */
export interface UserQuery extends Omit<UserFilter, 'words' | 'now'> {
  /** Words each matched, case-insensitively, in username, email, first or last name (a word under three letters: the start of username or email); a number also matches the id. See user-search.ts. */
  q?: string;
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

/** What listing users needs: the store and the time (for "locked"). */
export type UsersQueryCtx = Pick<Core, 'db' | 'clock'>;

/**
 * Searches, filters and sorts users, a page at a time. Pages are keyset cursors over
 * (sort value, id), so they stay stable and cheap however deep an operator pages. The total
 * is counted first, up to the cap: it also tells a narrow search from a broad one.
 */
export async function listUsers(ctx: UsersQueryCtx, query: UserQuery): Promise<UserPage> {
  listText(query.q, 'q');
  const sort = query.sort ?? 'date_joined';
  const order = query.order ?? 'desc';
  const limit = pageSize(query.limit, 200);
  const { active, verified, staff, pending, locked, joinedFrom, joinedTo } = query;
  const filter: UserFilter = { words: parseSearch(query.q), active, verified, staff, pending, locked, joinedFrom, joinedTo, now: ctx.clock.now() };
  const total = await countMatchingUsers(ctx.db, filter);
  const scope = `${sort}:${order}`;
  const textSort = sort === 'username' || sort === 'email';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, textSort ? 'text' : 'integer');
  // A search within the cap is narrow: read its matches through the search index, then sort them.
  const narrow = filter.words.length > 0 && !total.capped;
  const rows = await listUsersPage(ctx.db, filter, { sort, order, after, limit, narrow });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => row.user),
    next_cursor: rows.length > limit && last ? encodeCursor(scope, { key: last.sortKey, id: last.user.id }) : null,
    total: total.n,
    total_capped: total.capped,
  };
}
