/** Longest password (UTF-16 code units) that is ever hashed or verified; a caller bug cannot hash megabytes. */
export const HASHING_INPUT_CAP = 4096;

/** Longest stored hash that is even parsed. */
export const ENCODED_HASH_CAP = 512;

/** The most work a stored hash may ask for, so one bad import row cannot tie up a thread or a gigabyte per login. */
export const importedHashLimits = {
  pbkdf2MaxIterations: 10_000_000,
  bcryptMaxCost: 16,
  argon2MaxMemoryKiB: 1_048_576,
  argon2MaxTimeCost: 32,
  argon2MaxParallelism: 16,
  scryptMaxMemoryBytes: 256 * 1024 * 1024,
  scryptMaxParallelism: 16,
} as const;

export function isHashable(password: unknown): password is string {
  return typeof password === 'string' && password.length <= HASHING_INPUT_CAP;
}
