import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
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
const ftsMatch = (words: string[]) => sql`select rowid from user_search where user_search match ${words.map(phrase).join(' ')}`;

/**
 * SQLite: the substring words go to FTS5 as one query, each a quoted phrase (never syntax). A number
 * among them also matches the id if the other words match that user. Every alternative sits inside
 * one `id in (…)`, so the search index drives the plan whatever the statistics.
 */
function sqliteWords(words: string[]): Expression<SqlBool> {
  const alternatives = [ftsMatch(words)];
  for (const id of new Set(words.filter(isId))) {
    const rest = words.filter((w) => w !== id);
    // better-sqlite3 binds a number as REAL, and FTS5 then ignores `rowid = ?` (every row matches): cast it.
    const rowid = sql`cast(${Number(id)} as integer)`;
    alternatives.push(rest.length === 0 ? sql`select ${rowid}` : sql`select rowid from user_search where rowid = ${rowid} and user_search match ${rest.map(phrase).join(' ')}`);
  }
  return sql<SqlBool>`id in (${sql.join(alternatives, sql` union `)})`;
}

/**
 * The search `q` as index-backed conditions, one per word, all to hold. A word with three letters
 * or digits in a row matches case-insensitively anywhere in the username, email, first or last
 * name, through the trigram index (migration 009); a shorter word matches the start of the
 * username or email; a number also matches the id.
 */
export function searchConditions(eb: UsersEb, dialect: DialectName, q: string | undefined): Expression<SqlBool>[] {
  const words = searchWords(q);
  const substrings = words.filter((word) => trigramRun.test(word));
  const prefixes = words.filter((word) => !trigramRun.test(word)).map((word) => prefixWord(eb, word));
  if (substrings.length === 0) return prefixes;
  return dialect === 'postgres' ? [...substrings.map((word) => postgresWord(eb, word)), ...prefixes] : [sqliteWords(substrings), ...prefixes];
}
