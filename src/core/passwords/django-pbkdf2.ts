import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { constantTimeEqual } from './constant-time-equal.js';

const pbkdf2Async = promisify(pbkdf2);
const digestBytes = { sha256: 32, sha1: 20 } as const;

export interface Pbkdf2Hash {
  digest: 'sha256' | 'sha1';
  iterations: number;
  salt: string;
  hash: string;
}

/** Django's PBKDF2PasswordHasher / PBKDF2SHA1PasswordHasher: base64(pbkdf2_hmac(password, salt, iterations)). */
export async function verifyDjangoPbkdf2(password: string, stored: Pbkdf2Hash): Promise<boolean> {
  const derived = await pbkdf2Async(password, stored.salt, stored.iterations, digestBytes[stored.digest], stored.digest);
  // Django compares the encoded strings, so a non-canonical stored base64 fails here as it does there.
  return constantTimeEqual(derived.toString('base64'), stored.hash);
}
