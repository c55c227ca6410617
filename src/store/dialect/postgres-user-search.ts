import { sql, type Expression, type SqlBool } from 'kysely';
import { likePattern } from '../like-pattern.js';
import { userSearchText } from '../migrations/009_user_search.js';
import type { UserSearchSql } from './user-search.js';

/** PostgreSQL: each word anywhere in the indexed text (ILIKE, wildcards escaped, served by the pg_trgm index), or the id. */
export const postgresUserSearch: UserSearchSql = {
  matchingIds: () => undefined,
  conditions(eb, words) {
    return words.map((word) => {
      const any: Expression<SqlBool>[] = [sql<SqlBool>`${userSearchText} ilike ${likePattern(word.text)} escape '\\'`];
      if (word.id !== undefined) any.push(eb('id', '=', word.id));
      return eb.or(any);
    });
  },
};
