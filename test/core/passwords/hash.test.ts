import { hash as argon2Hash, parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { DUMMY_ARGON2_HASH } from '../../../src/core/passwords/dummy-verify.js';
import {
  burnDummyVerify,
  currentArgon2Params,
  hashPassword,
  verifyPassword,
} from '../../../src/core/passwords/index.js';

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

describe('hashPassword', () => {
  it("uses OWASP's argon2id parameters", () => {
    expect(currentArgon2Params).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('returns a standard PHC string with the current parameters and a fresh salt', async () => {
    const [first, second] = await Promise.all([hashPassword('lètmein'), hashPassword('lètmein')]);
    expect(first).toMatch(PHC);
    expect(first.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(first).not.toBe(second);
    expect(parseOptions(first)).toMatchObject({ outputLen: 32, saltLen: 16 });
  });

  it('verifies its own hashes without asking for a rehash, and rejects wrong passwords', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', encoded)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('correct horse battery stapl', encoded)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('', encoded)).toEqual({ ok: false, needsRehash: false });
  });

  it('hashes and verifies the empty password like any other', async () => {
    const encoded = await hashPassword('');
    expect((await verifyPassword('', encoded)).ok).toBe(true);
    expect((await verifyPassword(' ', encoded)).ok).toBe(false);
  });

  it('asks for a rehash when a correct argon2 hash was made with other parameters', async () => {
    const weaker = await argon2Hash('pw', { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    const argon2i = await argon2Hash('pw', { ...currentArgon2Params, algorithm: 1 });
    const shortOutput = await argon2Hash('pw', { ...currentArgon2Params, outputLen: 16 });
    for (const encoded of [weaker, argon2i, shortOutput]) {
      expect(await verifyPassword('pw', encoded)).toEqual({ ok: true, needsRehash: true });
      expect(await verifyPassword('PW', encoded)).toEqual({ ok: false, needsRehash: false });
    }
  });

  it('does not truncate: a 200-character password differing only in its last character fails', async () => {
    const password = 'a'.repeat(199) + 'b';
    const encoded = await hashPassword(password);
    expect((await verifyPassword(password, encoded)).ok).toBe(true);
    expect((await verifyPassword('a'.repeat(199) + 'c', encoded)).ok).toBe(false);
    expect((await verifyPassword('a'.repeat(199), encoded)).ok).toBe(false);
  });

  it('does not fold case or normalise Unicode', async () => {
    const composed = 'caf\u00e9 au lait';
    const encoded = await hashPassword(composed);
    expect((await verifyPassword('CAF\u00c9 AU LAIT', encoded)).ok).toBe(false);
    expect((await verifyPassword('cafe\u0301 au lait', encoded)).ok).toBe(false);
    expect((await verifyPassword(composed, encoded)).ok).toBe(true);
  });

  it('refuses passwords beyond the hard cap of 4096 before hashing', async () => {
    await expect(hashPassword('x'.repeat(4097))).rejects.toBeInstanceOf(RangeError);
    await expect(hashPassword('x'.repeat(10_000_000))).rejects.toBeInstanceOf(RangeError);
    const encoded = await hashPassword('x'.repeat(4096));
    expect((await verifyPassword('x'.repeat(4096), encoded)).ok).toBe(true);
    expect(await verifyPassword('x'.repeat(4097), encoded)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses a non-string password with a TypeError', async () => {
    await expect(hashPassword(undefined as unknown as string)).rejects.toBeInstanceOf(TypeError);
  });

  it('runs off the event loop: timers keep firing while 8 hashes run', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password number ${i}`)));
      expect(hashes).toHaveLength(8);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('burnDummyVerify', () => {
  it('verifies against a fixed hash made with the current parameters', () => {
    expect(parseOptions(DUMMY_ARGON2_HASH)).toMatchObject({
      algorithm: 2,
      version: 1,
      memoryCost: currentArgon2Params.memoryCost,
      timeCost: currentArgon2Params.timeCost,
      parallelism: currentArgon2Params.parallelism,
      outputLen: 32,
    });
  });

  it('resolves, whatever the password', async () => {
    await expect(burnDummyVerify('anything')).resolves.toBeUndefined();
    await expect(burnDummyVerify('')).resolves.toBeUndefined();
    await expect(burnDummyVerify('x'.repeat(5000))).resolves.toBeUndefined();
    await expect(burnDummyVerify(null as unknown as string)).resolves.toBeUndefined();
  });

  it('runs off the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await Promise.all(Array.from({ length: 4 }, () => burnDummyVerify('who are you')));
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
