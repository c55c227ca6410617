import type { Expression, ExpressionBuilder, RawBuilder, SqlBool } from 'kysely';
import type { Database } from '../schema.js';

/** A search word of three letters or digits in a row, matched anywhere in the indexed text (migration 009). */
export interface SubstringWord {
  text: string;
  /** The word is also a number: it matches that id too. */
  id?: number;
}

/**
 * `seek`: a narrow search, whose matches the search index finds; `probe`: a broad one, each row
 * (walking a sort index) tested by itself.
 */
export type SearchPlan = 'seek' | 'probe';

/** The admin user search by substring over migration 009's index: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite. */
export interface UserSearchSql {
  /**
   * The ids of the users holding every word, for a count to join `users` to (FTS5 streams its
   * matches, so a count up to the cap reads no more); undefined when `conditions(…, 'seek')` is
   * itself how this dialect counts through the index.
   */
  matchingIds(words: SubstringWord[]): RawBuilder<{ user_id: number }> | undefined;
  /** Conditions on `users`, all to hold, for users holding every word. */
  conditions(eb: ExpressionBuilder<Database, 'users'>, words: SubstringWord[], plan: SearchPlan): Expression<SqlBool>[];
}
