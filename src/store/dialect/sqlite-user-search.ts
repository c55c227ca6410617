import { sql, type Expression, type SqlBool } from 'kysely';
import { likePattern } from '../like-pattern.js';
import { userSearchText } from '../migrations/009_user_search.js';
import type { SubstringWord, UserSearchSql } from './user-search.js';

const phrase = (word: string) => `"${word.replace(/"/g, '""')}"`;

/** Rows holding every word: FTS5 ANDs the phrases, seeking in the rarest word's list, so a common word costs little beside a rare one. */
const ftsMatch = (words: SubstringWord[]) => sql`select rowid as user_id from user_search where user_search match ${words.map((w) => phrase(w.text)).join(' ')}`;

/**
 * The ids of the users the words match: the words go to FTS5 as one query, each a quoted phrase
 * (never syntax); a number among them also matches the id if the other words match that user.
 */
function matchingIds(words: SubstringWord[]) {
  if (words.length === 0) return undefined;
  const alternatives = [ftsMatch(words)];
  const ids = new Map(words.filter((w) => w.id !== undefined).map((w) => [w.text, w.id!]));
  for (const [text, id] of ids) {
    const rest = words.filter((w) => w.text !== text);
    // better-sqlite3 binds a number as REAL, and FTS5 then ignores `rowid = ?` (every row matches): cast it.
    const rowid = sql`cast(${id} as integer)`;
    alternatives.push(rest.length === 0 ? sql`select ${rowid}` : sql`select rowid from user_search where rowid = ${rowid} and user_search match ${rest.map((w) => phrase(w.text)).join(' ')}`);
  }
  return sql<{ user_id: number }>`${sql.join(alternatives, sql` union `)}`;
}

/**
 * SQLite. A narrow search reads `id in (matches)`. A broad one, walking the sort index, tests each
 * row by itself: an ASCII word is a LIKE over the indexed text (case-insensitive for ASCII, as
 * FTS5 folds it); any other word asks FTS5 about that one row (slower per row, but folds all of
 * Unicode the way the index does).
 */
export const sqliteUserSearch: UserSearchSql = {
  matchingIds,
  conditions(eb, words, plan) {
    if (words.length === 0) return [];
    if (plan === 'seek') return [sql<SqlBool>`id in (${matchingIds(words)!})`];
    return words.map((word) => {
      const any: Expression<SqlBool>[] = [
        /^[\x20-\x7e]+$/.test(word.text)
          ? sql<SqlBool>`${userSearchText} like ${likePattern(word.text)} escape '\\'`
          : sql<SqlBool>`exists (select 1 from user_search where rowid = ${sql.ref('users.id')} and user_search match ${phrase(word.text)})`,
      ];
      if (word.id !== undefined) any.push(eb('id', '=', word.id));
      return eb.or(any);
    });
  },
};
