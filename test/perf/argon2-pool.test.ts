import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyArgon2 } from '../../src/core/passwords/argon2.js';

/** Nice value of every thread of this process (Linux), by thread id. */
function threadNices(): Map<number, number> {
  return new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    }),
  );
}

describe('argon2id on low-priority hashing threads', () => {
  it('hashes and verifies as the library does, many at once', async () => {
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password number ${i}`)));
    for (const [i, h] of hashes.entries()) {
      expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyArgon2(`password number ${i}`, h)).toBe(true);
      expect(await verifyArgon2(`password number ${i + 1}`, h)).toBe(false);
    }
  });

  it('rejects a malformed hash instead of answering true or false', async () => {
    await expect(verifyArgon2('x', '$argon2id$v=19$m=19456,t=2,p=1$bm90LWJhc2U2NA')).rejects.toThrow();
  });

  it.runIf(process.platform === 'linux')('lowers only the hashing threads, never the event loop', async () => {
    const mainBefore = threadNices().get(process.pid);
    await hashPassword('warm the pool');
    const nices = threadNices();
    expect(nices.get(process.pid)).toBe(mainBefore);
    nices.delete(process.pid);
    expect([...nices.values()]).toContain(10);
  });
});
