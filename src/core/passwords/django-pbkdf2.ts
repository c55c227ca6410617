import { pbkdf2OnPool } from './argon2-pool.js';
import { constantTimeEqual } from './constant-time-equal.js';

const digestBytes = { sha256: 32, sha1: 20 } as const;

export interface Pbkdf2Hash {
  digest: 'sha256' | 'sha1';
  iterations: number;
  salt: string;
  hash: string;
}

/** Django's PBKDF2PasswordHasher / PBKDF2SHA1PasswordHasher: base64(pbkdf2_hmac(password, salt, iterations)). */
export async function verifyDjangoPbkdf2(password: string, stored: Pbkdf2Hash): Promise<boolean> {
  // On the bounded hashing pool (argon2-pool.ts), not libuv's.
  const derived = await pbkdf2OnPool(password, stored.salt, { iterations: stored.iterations, keylen: digestBytes[stored.digest], digest: stored.digest });
  // Django compares the encoded strings, so a non-canonical stored base64 fails here as it does there.
  return constantTimeEqual(derived, stored.hash);
}
