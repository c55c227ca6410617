import { bcryptOnPool } from './argon2-pool.js';

/**
 * bcrypt(password, salt) off the event loop, on the same bounded hashing pool as argon2id
 * (argon2-pool.ts); undefined when bcryptjs refuses the input or the worker died.
 */
export async function bcryptHash(password: string, salt: string): Promise<string | undefined> {
  try {
    return await bcryptOnPool(password, salt);
  } catch {
    return undefined;
  }
}
