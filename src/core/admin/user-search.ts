import type { SearchWord } from '../../store/user-list-repo.js';

/** Most words of one search; the rest are ignored. */
const maxSearchWords = 8;

/** The words of a search, split on whitespace: each must match somewhere. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, maxSearchWords);
}

// A trigram index can narrow only on three letters or digits in a row (pg_trgm ignores the rest).
const trigramRun = /[\p{L}\p{N}]{3}/u;
const isId = (word: string) => /^[0-9]{1,15}$/.test(word);

/**
 * The search `q` as the words the store matches, all to hold. A word with three letters or digits
 * in a row matches case-insensitively anywhere in the username, email, first or last name,
 * through the trigram index (migration 009); a shorter word matches the start of the username or
 * email; a number also matches the id.
 */
export function parseSearch(q: string | undefined): SearchWord[] {
  return searchWords(q).map((text) => ({ text, match: trigramRun.test(text) ? 'substring' : 'prefix', ...(isId(text) ? { id: Number(text) } : {}) }));
}
