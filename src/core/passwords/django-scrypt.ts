import { scrypt, type ScryptOptions } from 'node:crypto';
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

function scryptAsync(password: string, salt: string, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Django's ScryptPasswordHasher (Django ≥ 4.0): `scrypt$n$salt$r$p$base64(key)`, 64-byte key. */
export async function verifyDjangoScrypt(password: string, stored: ScryptHash): Promise<boolean> {
  const key = await scryptAsync(password, stored.salt, {
    N: stored.n,
    r: stored.r,
    p: stored.p,
    maxmem: importedHashLimits.scryptMaxMemoryBytes,
  });
  return constantTimeEqual(key.toString('base64'), stored.hash);
}
