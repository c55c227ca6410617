import { argon2NeedsRehash, verifyArgon2 } from './argon2.js';
import { verifyDjangoBcrypt } from './django-bcrypt.js';
import { verifyDjangoPbkdf2 } from './django-pbkdf2.js';
import { verifyDjangoScrypt } from './django-scrypt.js';
import { burnDummyVerify } from './dummy-verify.js';
import { identifyHash, type HashFormat } from './identify-hash.js';
import { isHashable } from './work-limits.js';

export interface VerifyResult {
  ok: boolean;
  /** The password was right and the stored hash should be replaced by hashPassword's. */
  needsRehash: boolean;
}

const rejected: VerifyResult = Object.freeze({ ok: false, needsRehash: false });

/** Checks Gatehouse's argon2id or an imported Django hash (always flagged for rehash); never throws. */
export async function verifyPassword(password: string, encoded: string): Promise<VerifyResult> {
  if (!isHashable(password)) return rejected;
  try {
    const format = identifyHash(encoded);
    // A hash other than today's argon2id may be far cheaper than it (a 1-iteration pbkdf2):
    // the dummy verify runs alongside, so such an account costs at least what any other does.
    const current = format.kind === 'argon2' && !format.imported && !argon2NeedsRehash(format.options);
    const pad = current || format.kind === 'unsupported' ? undefined : burnDummyVerify(password);
    const [outcome] = await Promise.allSettled([matches(password, format), pad]);
    const ok = outcome.status === 'fulfilled' && outcome.value;
    if (!ok) return rejected;
    const needsRehash = format.kind !== 'argon2' || format.imported || argon2NeedsRehash(format.options);
    return { ok, needsRehash };
  } catch {
    return rejected;
  }
}

async function matches(password: string, format: HashFormat): Promise<boolean> {
  switch (format.kind) {
    case 'argon2':
      return verifyArgon2(password, format.phc);
    case 'pbkdf2':
      return verifyDjangoPbkdf2(password, format);
    case 'bcrypt':
      return verifyDjangoBcrypt(password, format);
    case 'scrypt':
      return verifyDjangoScrypt(password, format);
    case 'unsupported':
      // Costs what a real check costs, so an account without a usable password does not stand out.
      await burnDummyVerify(password);
      return false;
  }
}
