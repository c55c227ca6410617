import { scryptOnPool } from './argon2-pool.js';
import { constantTimeEqual } from './constant-time-equal.js';
import { importedHashLimits } from './work-limits.js';

const KEY_BYTES = 64;

export interface ScryptHash {
  n: number;
  salt: string;
  r: number;
  p: number;
  hash: string;
}

/** Django's ScryptPasswordHasher (Django ≥ 4.0): `scrypt$n$salt$r$p$base64(key)`, 64-byte key. */
export async function verifyDjangoScrypt(password: string, stored: ScryptHash): Promise<boolean> {
  // On the bounded hashing pool (argon2-pool.ts), not libuv's.
  const key = await scryptOnPool(password, stored.salt, {
    keylen: KEY_BYTES,
    N: stored.n,
    r: stored.r,
    p: stored.p,
    maxmem: importedHashLimits.scryptMaxMemoryBytes,
  });
  return constantTimeEqual(key, stored.hash);
}
