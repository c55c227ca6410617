import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { userSearchText } from '../../store/migrations/009_user_search.js';
import { emailKey, usernameKey } from '../users/normalize.js';
import { likePattern } from './paging.js';

/** Most words of one search; the rest are ignored. */
const maxSearchWords = 8;

/** The words of a search, split on whitespace: each must match somewhere. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, maxSearchWords);
}

// A trigram index can narrow only on three letters or digits in a row (pg_trgm ignores the rest).
const trigramRun = /[\p{L}\p{N}]{3}/u;
// Above every code point, so `key < prefix + top` holds for every key starting with the prefix.
const top = '\u{10FFFF}';

type UsersEb = ExpressionBuilder<Database, 'users'>;

/** `column` starts with `prefix`: an index range, with LIKE checking the exact prefix. */
function startsWith(eb: UsersEb, column: 'username_key' | 'email_key', prefix: string): Expression<SqlBool> {
  // likePattern's leading `%` dropped: the prefix with LIKE's wildcards escaped, then `%`.
  const pattern = likePattern(prefix).slice(1);
  return eb.and([eb(column, '>=', prefix), eb(column, '<', prefix + top), sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`]);
}

const isId = (word: string) => /^[0-9]{1,15}$/.test(word);
const phrase = (word: string) => `"${word.replace(/"/g, '""')}"`;

/** A word too short for trigrams: the start of the username or email (a range on their unique keys), or the id. */
function prefixWord(eb: UsersEb, word: string): Expression<SqlBool> {
  const any: Expression<SqlBool>[] = [startsWith(eb, 'username_key', usernameKey(word)), startsWith(eb, 'email_key', emailKey(word))];
  if (isId(word)) any.push(eb('id', '=', Number(word)));
  return eb.or(any);
}

/** PostgreSQL: the word anywhere in the indexed text (ILIKE, wildcards escaped, uses the pg_trgm index), or the id. */
function postgresWord(eb: UsersEb, word: string): Expression<SqlBool> {
  const any: Expression<SqlBool>[] = [sql<SqlBool>`${userSearchText} ilike ${likePattern(word)} escape '\\'`];
  if (isId(word)) any.push(eb('id', '=', Number(word)));
  return eb.or(any);
}

/** Rows holding every word: FTS5 ANDs the phrases, seeking in the rarest word's list, so a common word costs little beside a rare one. */
const ftsMatch = (words: string[]) => sql`select rowid as user_id from user_search where user_search match ${words.map(phrase).join(' ')}`;

/**
 * SQLite: the ids of the users the substring words match (undefined without one): the words go to
 * FTS5 as one query, each a quoted phrase (never syntax); a number among them also matches the id
 * if the other words match that user. A count joins users to it (FTS5 streams its matches, so a
 * count up to the cap reads no more); a narrow search's page reads it as `id in (…)`.
 */
export function sqliteMatches(q: string | undefined): RawBuilder<{ user_id: number }> | undefined {
  const words = searchWords(q).filter((word) => trigramRun.test(word));
  if (words.length === 0) return undefined;
  const alternatives = [ftsMatch(words)];
  for (const id of new Set(words.filter(isId))) {
    const rest = words.filter((w) => w !== id);
    // better-sqlite3 binds a number as REAL, and FTS5 then ignores `rowid = ?` (every row matches): cast it.
    const rowid = sql`cast(${Number(id)} as integer)`;
    alternatives.push(rest.length === 0 ? sql`select ${rowid}` : sql`select rowid from user_search where rowid = ${rowid} and user_search match ${rest.map(phrase).join(' ')}`);
  }
  return sql<{ user_id: number }>`${sql.join(alternatives, sql` union `)}`;
}

/**
 * SQLite, a broad search walking the sort index: each row tested by itself. An ASCII word is a
 * LIKE over the indexed text (case-insensitive for ASCII, as FTS5 folds it); any other word asks
 * FTS5 about that one row (slower per row, but folds all of Unicode the way the index does).
 */
function sqliteRowWord(eb: UsersEb, word: string): Expression<SqlBool> {
  const any: Expression<SqlBool>[] = [
    /^[\x20-\x7e]+$/.test(word)
      ? sql<SqlBool>`${userSearchText} like ${likePattern(word)} escape '\\'`
      : sql<SqlBool>`exists (select 1 from user_search where rowid = ${sql.ref('users.id')} and user_search match ${phrase(word)})`,
  ];
  if (isId(word)) any.push(eb('id', '=', Number(word)));
  return eb.or(any);
}

/**
 * How the substring words are matched: `seek` from the search index (a narrow search: the index
 * finds the few matches), `probe` row by row (a broad one, walking the sort index), or `joined`
 * (SQLite: the query already joins `sqliteMatches`).
 */
export type SearchPlan = 'seek' | 'probe' | 'joined';

/**
 * The search `q` as index-backed conditions, one per word, all to hold. A word with three letters
 * or digits in a row matches case-insensitively anywhere in the username, email, first or last
 * name, through the trigram index (migration 009); a shorter word matches the start of the
 * username or email; a number also matches the id.
 */
export function searchConditions(eb: UsersEb, dialect: DialectName, q: string | undefined, plan: SearchPlan = 'seek'): Expression<SqlBool>[] {
  const words = searchWords(q);
  const substrings = words.filter((word) => trigramRun.test(word));
  const prefixes = words.filter((word) => !trigramRun.test(word)).map((word) => prefixWord(eb, word));
  if (substrings.length === 0) return prefixes;
  if (dialect === 'postgres') return [...substrings.map((word) => postgresWord(eb, word)), ...prefixes];
  if (plan === 'joined') return prefixes;
  if (plan === 'probe') return [...substrings.map((word) => sqliteRowWord(eb, word)), ...prefixes];
  return [sql<SqlBool>`id in (${sqliteMatches(q)!})`, ...prefixes];
}
