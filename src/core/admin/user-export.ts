import type { User } from '../users/user.js';
import { listUsersPage, type UserFilter } from '../../store/user-list-repo.js';
import { listText } from './paging.js';
import { parseSearch } from './user-search.js';
import type { UserQuery, UsersQueryCtx } from './users-query.js';

/** Users read per query: enough to keep round trips few, small enough that memory stays flat. */
export const exportBatchSize = 500;

/**
 * Every user matching `query`, in id order, a batch at a time: each batch is one keyset query
 * after the previous batch's last id, so an export of any size holds one batch in memory and
 * never reads a row twice or skips one that existed when it started.
 */
export function userExportBatches(ctx: UsersQueryCtx, query: Omit<UserQuery, 'sort' | 'order' | 'cursor' | 'limit'>, batchSize = exportBatchSize): AsyncGenerator<User[]> {
  // Validated now, not at the first read: a bad filter is a 400, not a download cut short.
  listText(query.q, 'q');
  const { active, verified, staff, pending, locked, joinedFrom, joinedTo } = query;
  const filter: UserFilter = { words: parseSearch(query.q), active, verified, staff, pending, locked, joinedFrom, joinedTo, now: ctx.clock.now() };
  return batches(ctx, filter, batchSize);
}

async function* batches(ctx: UsersQueryCtx, filter: UserFilter, batchSize: number): AsyncGenerator<User[]> {
  let after: { key: number; id: number } | undefined;
  for (;;) {
    const rows = await listUsersPage(ctx.db, filter, { sort: 'id', order: 'asc', after, limit: batchSize, narrow: false });
    const batch = rows.slice(0, batchSize).map((r) => r.user);
    if (batch.length) yield batch;
    if (rows.length <= batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { key: last.id, id: last.id };
  }
}
