import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored only as this digest; high-entropy inputs need no salt or slow hash. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Whether `token`'s tokenDigest is `digest`, in constant time: both are SHA-256, so they are compared as they are, not hashed again. */
export function matchesTokenDigest(token: string, digest: string): boolean {
  const stored = Buffer.from(digest, 'base64url');
  const presented = createHash('sha256').update(token, 'utf8').digest();
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** A numeric one-time code of `digits` digits, uniformly random. */
export function randomDigits(digits: number): string {
  let out = '';
  while (out.length < digits) {
    const byte = randomBytes(1)[0]!;
    if (byte < 250) out += String(byte % 10);
  }
  return out;
}

// Derived keys are kept: an HKDF per unseal was a tenth of a TOTP login's second step. Purposes are
// constants in code and secrets few (the key and a rotation's old one); cleared if that ever grows.
const derived = new Map<string, Buffer>();
const maxDerived = 64;

function deriveKey(secret: string, purpose: string): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = derived.get(id);
  if (!key) {
    if (derived.size >= maxDerived) derived.clear();
    key = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', purpose, 32));
    derived.set(id, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` under a key derived from GATEHOUSE_SECRET_KEY for `purpose`: fixed by its input, unforgeable without the secret. */
export function secretHmac(secret: string, purpose: string, message: string): Buffer {
  return createHmac('sha256', deriveKey(secret, purpose)).update(message, 'utf8').digest();
}

/** AES-256-GCM with a key derived from GATEHOUSE_SECRET_KEY; output is `iv.tag.ciphertext` base64url. */
export function seal(secret: string, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(secret: string, purpose: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('sealed value is malformed');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/**
 * The HS256 secret: GATEHOUSE_JWT_SECRET, or one derived from the master secret by HKDF. The master
 * secret also seals the private keys, so it is never handed to the services that verify tokens.
 */
export function hs256Secret(jwtSecret: string | undefined, master: string): string {
  return jwtSecret ?? deriveKey(master, 'hs256-signing').toString('base64url');
}

/** HS256 signs with the secret's bytes as SimpleJWT does, so services sharing the key verify our tokens. */
export function hmacKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
