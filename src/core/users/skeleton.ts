import unhomoglyph from 'unhomoglyph';
import { usernameKey } from './normalize.js';

/**
 * The UTS #39 confusable skeleton of a login name, case-insensitive: the name's key (NFKC, lower
 * case, as login names compare), NFD, every character mapped by Unicode's confusables.txt (through
 * `unhomoglyph`, which ships that table), NFD again, lower case. Names that look alike ("admin",
 * Cyrillic "аdmin", "ＡＤＭＩＮ", "paypal" and "paypa1") share a skeleton, so a new name whose skeleton
 * an existing account has counts as taken. A skeleton is for comparing, never for showing ("m"
 * becomes "rn"). Folding case first keeps it case-insensitive like the key.
 */
export function usernameSkeleton(username: string): string {
  return unhomoglyph(usernameKey(username).normalize('NFD')).normalize('NFD').toLowerCase();
}

/** The two columns that make a login name unique: its key (exact, case-insensitive) and its skeleton (look-alikes). */
export function loginNameColumns(username: string | null): { username_key: string | null; username_skeleton: string | null } {
  return username === null ? { username_key: null, username_skeleton: null } : { username_key: usernameKey(username), username_skeleton: usernameSkeleton(username) };
}
