/** Longest password (UTF-16 code units) that is ever hashed or verified; a caller bug cannot hash megabytes. */
export const HASHING_INPUT_CAP = 4096;

/** Longest stored hash that is even parsed. */
export const ENCODED_HASH_CAP = 512;

/**
 * The most work a stored hash may ask for, so one bad import row cannot tie up a thread or a
 * gigabyte per login. A hash above these imports as "must reset" (unusable, with a note), and
 * one found stored at login is refused without computing it (the dummy verify is burnt instead).
 */
export const importedHashLimits = {
  pbkdf2MaxIterations: 1_200_000,
  bcryptMaxCost: 13,
  argon2MaxMemoryKiB: 262_144,
  argon2MaxTimeCost: 10,
  argon2MaxParallelism: 16,
  scryptMaxMemoryBytes: 256 * 1024 * 1024,
  scryptMaxParallelism: 16,
} as const;

export function isHashable(password: unknown): password is string {
  return typeof password === 'string' && password.length <= HASHING_INPUT_CAP;
}
