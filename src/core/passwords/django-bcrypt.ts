import { createHash } from 'node:crypto';
import { bcryptHash } from './bcrypt-pool.js';
import { constantTimeEqual } from './constant-time-equal.js';

/** The `$2b$<cost>$<22-character salt>` prefix bcrypt re-derives the hash from. */
const SALT_PREFIX_LENGTH = 29;

export interface BcryptHash {
  /** bcrypt_sha256: bcrypt over hex(sha256(password)), so long passwords are not cut at 72 bytes. */
  prehashed: boolean;
  /** The bcrypt string itself, `$2b$12$…`. */
  data: string;
}

/** Django's BCryptSHA256PasswordHasher and BCryptPasswordHasher; plain bcrypt keeps its 72-byte truncation. */
export async function verifyDjangoBcrypt(password: string, stored: BcryptHash): Promise<boolean> {
  // Python's bcrypt refuses NUL bytes, so Django never stored a hash of such a password.
  if (!stored.prehashed && password.includes('\0')) return false;
  const secret = stored.prehashed ? createHash('sha256').update(password, 'utf8').digest('hex') : password;
  const computed = await bcryptHash(secret, stored.data.slice(0, SALT_PREFIX_LENGTH));
  return computed !== undefined && constantTimeEqual(computed, stored.data);
}
