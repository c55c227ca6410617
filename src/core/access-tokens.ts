import { randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { LRUCache } from 'lru-cache';
import type { Ctx } from './context.js';
import { AuthError } from './errors.js';
import { boundedLru } from './lru.js';
import { emitCoreEvent } from './observers.js';
import type { KeyRing } from './keys.js';
import type { Revocations } from './revocations.js';

export interface AccessClaims {
  userId: number;
  sessionId: string;
  exp: number;
}

export interface IssuedAccess {
  token: string;
  expiresIn: number;
}

/** Cache key: the signature's last characters, unique per token and ~12× cheaper to hash than the whole JWT; a hit still compares the full token. */
const keyLength = 32;
const cacheKey = (token: string) => token.slice(-keyLength);

/**
 * Signs and checks access JWTs. A token's signature is verified once; after that the
 * result is remembered until the token expires, so the hot path is a map lookup. The memory is
 * an LRU of GATEHOUSE_CACHE_MAX_ENTRIES tokens, each entry expiring with its token.
 */
export class AccessTokens {
  private readonly verified: LRUCache<string, { token: string; claims: AccessClaims }>;

  constructor(
    private readonly ctx: Ctx,
    private readonly keys: KeyRing,
    private readonly revocations: Revocations,
  ) {
    // Every entry is set with its own TTL (the token's remaining life); this default is never used.
    this.verified = boundedLru(ctx.clock, ctx.config.cacheMaxEntries, 60_000);
  }

  async sign(userId: number, sessionId: string, ttlSeconds: number, extra: Record<string, unknown> = {}): Promise<IssuedAccess> {
    const key = this.keys.signingKey();
    const now = Math.floor(this.ctx.clock.now() / 1000);
    const token = await new SignJWT({ ...extra, token_type: 'access', user_id: userId, sid: sessionId })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setSubject(String(userId))
      .setJti(randomBytes(16).toString('hex'))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key.signing);
    emitCoreEvent({ type: 'token_issued', kind: 'access' });
    return { token, expiresIn: ttlSeconds };
  }

  /** Claims of a valid, unexpired, unrevoked access token; otherwise an AuthError. */
  async verify(token: string): Promise<AccessClaims> {
    const nowSec = this.ctx.clock.now() / 1000;
    const key = cacheKey(token);
    const hit = this.verified.get(key);
    if (hit && hit.token === token) {
      const cached = hit.claims;
      if (cached.exp <= nowSec) {
        this.verified.delete(key);
        throw new AuthError('token_expired', 'Given token not valid for any token type');
      }
      if (this.revocations.isRevoked(cached.sessionId)) throw new AuthError('session_revoked');
      return cached;
    }
    const claims = await this.verifySignature(token);
    if (this.revocations.isRevoked(claims.sessionId)) throw new AuthError('session_revoked');
    this.verified.set(key, { token, claims }, { ttl: Math.max(1, Math.ceil((claims.exp - nowSec) * 1000)) });
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessClaims> {
    if (token.length > 4096 || token.split('.').length !== 3) throw new AuthError('invalid_token');
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      ({ kid, alg } = decodeProtectedHeader(token));
    } catch {
      throw new AuthError('invalid_token');
    }
    // Only our algorithm and our own keys: `alg: none`, HS/EdDSA confusion and `jwk`/`jku` headers go nowhere.
    if (alg !== this.keys.alg) throw new AuthError('invalid_token');
    const key = await this.keys.verifyingKey(kid);
    if (!key) throw new AuthError('invalid_token');
    try {
      const { payload } = await jwtVerify(token, key.verifying, {
        algorithms: [key.alg],
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(this.ctx.clock.now()),
      });
      const userId = Number(payload.user_id);
      if (payload.token_type !== 'access' || typeof payload.sid !== 'string' || !Number.isSafeInteger(userId) || String(userId) !== payload.sub) {
        throw new AuthError('invalid_token', 'Token has wrong type');
      }
      return { userId, sessionId: payload.sid, exp: payload.exp! };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AuthError('token_expired', 'Token is expired');
      throw new AuthError('invalid_token');
    }
  }
}
