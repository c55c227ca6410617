import { verifyArgon2 } from './argon2.js';
import { isHashable } from './work-limits.js';

/** An argon2id hash of a random string nobody kept, made with currentArgon2Params (a test keeps them in step). */
export const DUMMY_ARGON2_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$GDT5li32S1QHpq4Zsrrsqw$KJg4nc8BkXYZatJnW3dKGaGmqk1t6D2G26vd7bdrY7A';

/** Spends one real verification so an unknown user costs the same time as a known one. */
export async function burnDummyVerify(password: string): Promise<void> {
  // A known user's oversized password is refused without hashing too, so this stays equal.
  if (!isHashable(password)) return;
  try {
    await verifyArgon2(password, DUMMY_ARGON2_HASH);
  } catch {
    // Only the time spent matters.
  }
}
