import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { createHash, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeUnsupportedHash, verifyPassword } from '../../../src/core/passwords/index.js';

const imported = { ok: true, needsRehash: true };
const rejected = { ok: false, needsRehash: false };

function djangoSalt(): string {
  return randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
}

function djangoPbkdf2(password: string, iterations: number, digest: 'sha256' | 'sha1' = 'sha256', salt = djangoSalt()): string {
  const hash = pbkdf2Sync(password, salt, iterations, digest === 'sha256' ? 32 : 20, digest).toString('base64');
  return `pbkdf2_${digest}$${iterations}$${salt}$${hash}`;
}

async function djangoArgon2(password: string, algorithm: 0 | 1 | 2 = 2): Promise<string> {
  const phc = await argon2Hash(password, { algorithm, memoryCost: 256, timeCost: 1, parallelism: 2 });
  return `argon2${phc}`;
}

function djangoBcryptSha256(password: string, cost = 4): string {
  const hex = createHash('sha256').update(password, 'utf8').digest('hex');
  return `bcrypt_sha256$${bcrypt.hashSync(hex, bcrypt.genSaltSync(cost))}`;
}

function djangoBcrypt(password: string, cost = 4): string {
  return `bcrypt$${bcrypt.hashSync(password, bcrypt.genSaltSync(cost))}`;
}

describe('pbkdf2_sha256 and pbkdf2_sha1', () => {
  it('verifies hashes made the way Django makes them, and always asks for a rehash', async () => {
    for (const digest of ['sha256', 'sha1'] as const) {
      const encoded = djangoPbkdf2('lètmein', 1000, digest);
      expect(describeUnsupportedHash(encoded)).toBeUndefined();
      expect(await verifyPassword('lètmein', encoded)).toEqual(imported);
      expect(await verifyPassword('lètmeinz', encoded)).toEqual(rejected);
      expect(await verifyPassword('LÈTMEIN', encoded)).toEqual(rejected);
    }
  });

  it("verifies Django 5.0's default 720000-iteration format (its own test vector)", async () => {
    const encoded = 'pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=';
    expect(djangoPbkdf2('lètmein', 720000, 'sha256', 'seasalt')).toBe(encoded);
    expect(await verifyPassword('lètmein', encoded)).toEqual(imported);
  });

  it("verifies Django's own test vectors and a hash made by Django 3.2.25", async () => {
    const samples = [
      'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=',
      'pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I=',
      'pbkdf2_sha256$260000$JRsnVvR9LBeYM4w1IJq3cl$pWI4giYMuncVFWp7zh/cxf9bSCnvpxHFQmbv51//WuI=',
      'pbkdf2_sha1$260000$5hauuvBjzqHEPTwQzVNU10$hEu6XjBsSqMT/KLbfTnLhOwOWEE=',
    ];
    const results = await Promise.all(samples.map((encoded) => verifyPassword('lètmein', encoded)));
    expect(results).toEqual(samples.map(() => imported));
    expect(await verifyPassword('letmein', samples[0])).toEqual(rejected);
  });

  it('verifies a blank password as Django does', async () => {
    const encoded = djangoPbkdf2('', 1000);
    expect(await verifyPassword('', encoded)).toEqual(imported);
    expect(await verifyPassword(' ', encoded)).toEqual(rejected);
  });

  it('does not truncate long passwords', async () => {
    const password = 'p'.repeat(199) + '1';
    const encoded = djangoPbkdf2(password, 1000);
    expect((await verifyPassword(password, encoded)).ok).toBe(true);
    expect((await verifyPassword('p'.repeat(199) + '2', encoded)).ok).toBe(false);
  });
});

describe('argon2 (Django prefix)', () => {
  it('verifies argon2id, argon2i and argon2d hashes behind the "argon2" prefix', async () => {
    for (const algorithm of [2, 1, 0] as const) {
      const encoded = await djangoArgon2('lètmein', algorithm);
      expect(encoded.startsWith('argon2$argon2')).toBe(true);
      expect(await verifyPassword('lètmein', encoded)).toEqual(imported);
      expect(await verifyPassword('lètmeinz', encoded)).toEqual(rejected);
    }
  });

  it("verifies Django's own test vectors, including the old one without a version", async () => {
    const samples = [
      'argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg',
      'argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q',
      'argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw',
    ];
    for (const encoded of samples) {
      expect(await verifyPassword('secret', encoded)).toEqual(imported);
      expect(await verifyPassword('wrong', encoded)).toEqual(rejected);
    }
  });

  it('verifies a hash made by Django 3.2.25 with its default parameters', async () => {
    const encoded =
      'argon2$argon2id$v=19$m=102400,t=2,p=8$Y21mRVB1MGlYcDZ3cHBteXpuMXdRVA$Nq5BXjlnpDUVqItT0Ugo9A';
    expect(await verifyPassword('lètmein', encoded)).toEqual(imported);
    expect(await verifyPassword('lètmeinz', encoded)).toEqual(rejected);
  });
});

describe('bcrypt_sha256 and bcrypt', () => {
  it('verifies bcrypt_sha256 (bcrypt over the hex SHA-256 of the password)', async () => {
    const encoded = djangoBcryptSha256('lètmein');
    expect(encoded.startsWith('bcrypt_sha256$$2b$04$')).toBe(true);
    expect(await verifyPassword('lètmein', encoded)).toEqual(imported);
    expect(await verifyPassword('lètmeinz', encoded)).toEqual(rejected);
  });

  it('does not truncate bcrypt_sha256 at 72 bytes (Django test_bcrypt_sha256)', async () => {
    const password =
      'VSK0UYV6FFQVZ0KG88DYN9WADAADZO1CTSIVDJUNZSUML6IBX7LN7ZS3R5JGB3RGZ7VI7G7DJQ9NI8BQFSRPTG6UWTTVESA5ZPUN';
    const encoded = djangoBcryptSha256(password);
    expect((await verifyPassword(password, encoded)).ok).toBe(true);
    expect((await verifyPassword(password.slice(0, 72), encoded)).ok).toBe(false);
    expect((await verifyPassword(password.slice(0, -1) + 'X', encoded)).ok).toBe(false);
  });

  it('keeps plain bcrypt semantics: only the first 72 bytes count', async () => {
    const password = 'b'.repeat(72) + 'tail';
    const encoded = djangoBcrypt(password);
    expect(await verifyPassword(password, encoded)).toEqual(imported);
    expect(await verifyPassword('b'.repeat(72) + 'other', encoded)).toEqual(imported);
    expect(await verifyPassword('b'.repeat(71), encoded)).toEqual(rejected);
  });

  it('refuses a NUL byte with plain bcrypt, which Python bcrypt never hashed', async () => {
    const encoded = djangoBcrypt('ab');
    expect(await verifyPassword('ab\0', encoded)).toEqual(rejected);
  });

  it('verifies hashes made by Django 3.2.25 (cost 12), including one past 72 bytes', async () => {
    const long = 'x'.repeat(71) + 'é' + 'tail';
    // Cost 12 takes a while in JavaScript: one check each, run side by side; cost-4 tests cover the rest.
    const checks: [string, string, boolean][] = [
      ['lètmein', 'bcrypt_sha256$$2b$12$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK', true],
      ['lètmeinz', 'bcrypt$$2b$12$6MJQkgpBf05/sc.lm60p2uCErdeqeYmxM5cXsG1YinqYxXRWdV77a', false],
      [long, 'bcrypt_sha256$$2b$12$f4q7e8fEIfIqVEJwYw9wI.DxY3BflyFyw3ZApM4fzGhIL.fbx.eJC', true],
      // Plain bcrypt cuts inside the 'é', so the same first 72 bytes verify whatever follows.
      ['x'.repeat(71) + 'é' + 'other', 'bcrypt$$2b$12$lsh./5NN4lxv/dLFdZ85/uY6N.z/C24gS1Br7KjVBaLZhOFJtxCEK', true],
    ];
    const results = await Promise.all(checks.map(([password, encoded]) => verifyPassword(password, encoded)));
    expect(results.map((r) => r.ok)).toEqual(checks.map(([, , ok]) => ok));
  });

  it('accepts the $2a$ and $2y$ variants', async () => {
    const hex = createHash('sha256').update('pw', 'utf8').digest('hex');
    const data = bcrypt.hashSync(hex, bcrypt.genSaltSync(4));
    for (const variant of ['$2a$', '$2y$']) {
      const encoded = `bcrypt_sha256$${variant}${data.slice(4)}`;
      expect(bcrypt.compareSync(hex, encoded.slice('bcrypt_sha256$'.length))).toBe(true);
      expect(await verifyPassword('pw', encoded)).toEqual(imported);
    }
  });

  it('runs bcrypt off the event loop', async () => {
    const encoded = djangoBcryptSha256('pw', 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      expect((await verifyPassword('pw', encoded)).ok).toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('answers many concurrent bcrypt verifications correctly', async () => {
    const encoded = djangoBcryptSha256('pw');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => verifyPassword(i % 2 === 0 ? 'pw' : 'nope', encoded)),
    );
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
  });
});

describe('scrypt', () => {
  it("verifies Django's scrypt test vector and a hash made the same way", async () => {
    const vector =
      'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==';
    expect(await verifyPassword('lètmein', vector)).toEqual(imported);
    expect(await verifyPassword('lètmeinz', vector)).toEqual(rejected);
    const key = scryptSync('pw', 'salt1', 64, { N: 1024, r: 8, p: 1 }).toString('base64');
    expect(await verifyPassword('pw', `scrypt$1024$salt1$8$1$${key}`)).toEqual(imported);
  });
});
