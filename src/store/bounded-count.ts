import type { SelectQueryBuilder } from 'kysely';
import type { Db } from './dialect/index.js';
import type { Database } from './schema.js';

/** Most rows a listing, the overview or a metric counts; past it a count says "at least this many". */
export const countCap = 10_000;

/** A count that stops at `countCap`: exact below it, `capped` at it. */
export interface BoundedCount {
  n: number;
  capped: boolean;
}

/**
 * Counts the rows `matches` selects, reading at most one past the cap, so a count costs no
 * more on a million rows than on ten thousand (and uses whatever index serves the filter).
 */
export async function countUpTo(db: Db, matches: SelectQueryBuilder<Database, any, any>): Promise<BoundedCount> {
  const row = await db
    .selectFrom(matches.limit(countCap + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > countCap ? { n: countCap, capped: true } : { n, capped: false };
}
