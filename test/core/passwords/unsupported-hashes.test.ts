import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../../src/core/passwords/constant-time-equal.js';
import { describeUnsupportedHash, hashPassword, verifyPassword } from '../../../src/core/passwords/index.js';

const rejected = { ok: false, needsRehash: false };
const reset = 'ask the user to reset the password';

describe('weak and legacy Django formats are refused with a clear message', () => {
  // Django's own test vectors for "lètmein".
  const refused: [string, string][] = [
    ['md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3', `md5 hashes are not accepted: ${reset}`],
    ['88a434c88cca4e900f7874cd98123f43', `unsalted md5 hashes are not accepted: ${reset}`],
    ['md5$$88a434c88cca4e900f7874cd98123f43', `unsalted md5 hashes are not accepted: ${reset}`],
    ['sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8', `sha1 hashes are not accepted: ${reset}`],
    ['sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b', `unsalted sha1 hashes are not accepted: ${reset}`],
    ['crypt$$ab1Hv2Lg7ltQo', `crypt hashes are not accepted: ${reset}`],
  ];

  it.each(refused)('%s', async (encoded, message) => {
    expect(describeUnsupportedHash(encoded)).toBe(message);
    expect(await verifyPassword('lètmein', encoded)).toEqual(rejected);
  });
});

describe('unusable and empty passwords never verify', () => {
  it("refuses Django's '!'-prefixed unusable passwords", async () => {
    const encoded = '!' + 'Q'.repeat(40);
    expect(await verifyPassword('lètmein', encoded)).toEqual(rejected);
    expect(await verifyPassword(encoded, encoded)).toEqual(rejected);
    expect(await verifyPassword('!', encoded)).toEqual(rejected);
    expect(describeUnsupportedHash(encoded)).toMatch(/^unusable password/);
  });

  it('refuses an empty hash, whatever the password', async () => {
    expect(await verifyPassword('', '')).toEqual(rejected);
    expect(await verifyPassword('lètmein', '')).toEqual(rejected);
    expect(describeUnsupportedHash('')).toMatch(/^no password is set/);
  });

  it("refuses a '!'-prefixed copy of a real hash", async () => {
    const encoded = await hashPassword('pw');
    expect(await verifyPassword('pw', `!${encoded}`)).toEqual(rejected);
  });
});

describe('garbage never throws', () => {
  const garbage = [
    'lolcat$salt$hash',
    'plaintext-password',
    '$argon2id$garbage',
    '$argon2id$v=19$m=19456,t=2,p=1$$',
    'argon2$argon2id$v=19$m=19456,t=2,p=1$not base64!$nope',
    'argon2$bcrypt$whatever',
    'pbkdf2_sha256$abc$salt$aGFzaA==',
    'pbkdf2_sha256$0$salt$aGFzaA==',
    'pbkdf2_sha256$1000$$aGFzaA==',
    'pbkdf2_sha256$1000$salt$not base64',
    'pbkdf2_sha256$1000$salt$aGFzaA==$extra',
    'pbkdf2_sha256$',
    'bcrypt_sha256$$2x$12$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK',
    'bcrypt_sha256$$2b$03$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK',
    'bcrypt_sha256$$2b$12$short',
    'bcrypt$',
    'scrypt$16383$salt$8$1$aGFzaA==',
    'scrypt$16384$salt$8$1',
    '$2b$12$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK',
    '$',
    '$$$$',
    '\0',
    '\u{1F600}$\u{1F600}',
    'constructor$x$y',
    '__proto__$x$y',
    'x'.repeat(100_000),
  ];

  it.each(garbage.map((encoded) => [encoded.slice(0, 60), encoded]))('%s', async (_, encoded) => {
    await expect(verifyPassword('lètmein', encoded)).resolves.toEqual(rejected);
    expect(describeUnsupportedHash(encoded)).toEqual(expect.any(String));
  });

  it('names an unknown algorithm but never echoes a hash', () => {
    expect(describeUnsupportedHash('lolcat$salt$hash')).toBe(`unknown hash algorithm "lolcat": ${reset}`);
    expect(describeUnsupportedHash('plaintext-password')).toBe(`unrecognised hash format: ${reset}`);
    expect(describeUnsupportedHash('$2b$12$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK')).toMatch(/"bcrypt\$"/);
  });

  it('says what shape a malformed supported hash should have', () => {
    expect(describeUnsupportedHash('pbkdf2_sha256$abc$salt$aGFzaA==')).toBe(
      `malformed pbkdf2_sha256 hash (expected pbkdf2_sha256$<iterations>$<salt>$<base64 hash>): ${reset}`,
    );
  });

  it('returns ok=false for values that are not strings at all', async () => {
    for (const value of [null, undefined, 42, {}, ['pbkdf2_sha256$1$a$b']]) {
      await expect(verifyPassword('pw', value as unknown as string)).resolves.toEqual(rejected);
      await expect(verifyPassword(value as unknown as string, 'pbkdf2_sha256$1$a$aGFzaA==')).resolves.toEqual(rejected);
      expect(describeUnsupportedHash(value as unknown as string)).toEqual(expect.any(String));
    }
  });
});

describe('imported hashes asking for unbounded work are refused before hashing', () => {
  const costly = [
    'pbkdf2_sha256$2147483647$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=',
    'bcrypt_sha256$$2b$31$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK',
    'argon2$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q',
    'argon2$argon2id$v=19$m=65536,t=1000,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q',
    '$argon2id$v=19$m=65536,t=2,p=255$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q',
    'scrypt$1073741824$seasalt$8$1$aGFzaA==',
    'scrypt$16384$seasalt$8$64$aGFzaA==',
  ];

  it.each(costly)('%s', async (encoded) => {
    expect(describeUnsupportedHash(encoded)).toMatch(/asks for more work than Gatehouse allows/);
    await expect(verifyPassword('lètmein', encoded)).resolves.toEqual(rejected);
  });
});

describe('supported formats are described as supported', () => {
  it('returns undefined for every format verifyPassword accepts', async () => {
    const supported = [
      await hashPassword('pw'),
      'pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=',
      'pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I=',
      'argon2$argon2id$v=19$m=102400,t=2,p=8$Y041dExhNkljRUUy$TMa6A8fPJhCAUXRhJXCXdw',
      'argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg',
      'bcrypt_sha256$$2b$12$Fe34enEmQSjFzl.v1ojdfOHRF3B/4rR5mUXbxWIA.1E6ULyaEj/yK',
      'bcrypt$$2b$12$6MJQkgpBf05/sc.lm60p2uCErdeqeYmxM5cXsG1YinqYxXRWdV77a',
      'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==',
    ];
    for (const encoded of supported) expect(describeUnsupportedHash(encoded)).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('compares by content and refuses different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
  });
});
