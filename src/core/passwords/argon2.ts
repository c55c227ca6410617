import type { Algorithm, ParsedHashOptions, Version } from '@node-rs/argon2';
import { argon2HashOnPool, argon2VerifyOnPool } from './argon2-pool.js';
import { HASHING_INPUT_CAP } from './work-limits.js';

export interface Argon2Params {
  /** KiB of memory (`m=`). */
  readonly memoryCost: number;
  /** Passes over memory (`t=`). */
  readonly timeCost: number;
  /** Lanes (`p=`). */
  readonly parallelism: number;
}

/** OWASP's first recommendation for argon2id. */
export const currentArgon2Params: Argon2Params = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

// The package's enums are `const enum`s that esbuild (vitest) cannot inline, so their values are spelled out.
const ARGON2ID: Algorithm = 2;
const VERSION_0x13: Version = 1;
const OUTPUT_BYTES = 32;
const MIN_SALT_BYTES = 16;

/** Hashes a password as a standard PHC string, `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, off the event loop (on low-priority threads: argon2-pool.ts). */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  if (password.length > HASHING_INPUT_CAP) {
    throw new RangeError(`password longer than ${HASHING_INPUT_CAP} characters: refused before hashing`);
  }
  return argon2HashOnPool(password, {
    algorithm: ARGON2ID,
    version: VERSION_0x13,
    outputLen: OUTPUT_BYTES,
    memoryCost: currentArgon2Params.memoryCost,
    timeCost: currentArgon2Params.timeCost,
    parallelism: currentArgon2Params.parallelism,
  });
}

/** Verifies against an argon2 PHC string (any variant); the library compares digests in constant time. */
export function verifyArgon2(password: string, phc: string): Promise<boolean> {
  return argon2VerifyOnPool(phc, password);
}

/** True when a stored argon2 hash was made with anything other than today's algorithm and parameters. */
export function argon2NeedsRehash(options: ParsedHashOptions): boolean {
  return (
    options.algorithm !== ARGON2ID ||
    options.version !== VERSION_0x13 ||
    options.memoryCost !== currentArgon2Params.memoryCost ||
    options.timeCost !== currentArgon2Params.timeCost ||
    options.parallelism !== currentArgon2Params.parallelism ||
    options.outputLen !== OUTPUT_BYTES ||
    options.saltLen < MIN_SALT_BYTES
  );
}
