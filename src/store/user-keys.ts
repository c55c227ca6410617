import unhomoglyph from 'unhomoglyph';

// The folded columns the unique indexes of `users` are built on. They are part of the schema (a
// migration backfills them, every write must compute them alike), so the store defines them and
// core re-exports them (core/users/normalize.ts, core/users/skeleton.ts).

/** Lower-cased key that makes emails unique case-insensitively. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

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
