import { randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { LRUCache } from 'lru-cache';
import type { Ctx } from './context.js';
import { AuthError, credentialError } from './errors.js';
import { boundedLru } from './lru.js';
import { emitCoreEvent } from './observers.js';
import type { KeyRing } from './keys.js';
import type { Revocations } from './revocations.js';
import type { RuntimeSettings } from './settings.js';

export interface AccessClaims {
  userId: number;
  sessionId: string;
  exp: number;
}

/** Whom a token speaks for: the user, the session, and when the user authenticated (ms; the session's start, kept across refreshes). */
export interface AccessSubject {
  userId: number;
  sessionId: string;
  authTime: number;
  /** How the user authenticated (RFC 8176), when the session knows. */
  amr?: readonly string[];
}

/** Claims a caller adds to an access token (a profile's profile claims); ours always win over them. */
export type ExtraClaims = Record<string, unknown>;

/** A refresh path's claims option: the claims for the token's user, known only once the refresh token is checked. */
export type ClaimsFor = (userId: number) => Promise<ExtraClaims>;

export interface IssuedAccess {
  token: string;
  expiresIn: number;
}

/** A revoked session's error; it names the user, so the caller can tell a deleted or disabled account. */
const revoked = (claims: AccessClaims) => new AuthError('session_revoked', undefined, undefined, { userId: claims.userId });

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
  /** Seconds: tokens issued (`iat`) before this may lack `iss`/`aud`, as versions before them did; see standardClaimsOk. */
  private readonly startedAt: number;

  constructor(
    private readonly ctx: Ctx,
    private readonly keys: KeyRing,
    private readonly revocations: Revocations,
    private readonly settings: RuntimeSettings,
  ) {
    // Every entry is set with its own TTL (the token's remaining life); this default is never used.
    this.verified = boundedLru(ctx.clock, ctx.config.cacheMaxEntries, 60_000);
    this.startedAt = Math.floor(ctx.clock.now() / 1000);
  }

  async sign(subject: AccessSubject, ttlSeconds: number, extra: ExtraClaims = {}): Promise<IssuedAccess> {
    const key = this.keys.signingKey();
    const now = Math.floor(this.ctx.clock.now() / 1000);
    const { jwtIssuer, jwtAudience } = this.ctx.config;
    const claims = { ...extra, token_type: 'access', user_id: subject.userId, sid: subject.sessionId, auth_time: Math.floor(subject.authTime / 1000), ...(subject.amr?.length ? { amr: [...subject.amr] } : {}) };
    // No `aud` unless configured: PyJWT refuses a token with one when its caller expects none.
    const audience = jwtAudience.length === 0 ? {} : { aud: jwtAudience.length === 1 ? jwtAudience[0] : jwtAudience };
    const token = await new SignJWT({ ...claims, ...audience })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(jwtIssuer)
      .setSubject(String(subject.userId))
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
        throw credentialError('token_expired', 'expired');
      }
      if (this.revocations.isRevoked(cached.sessionId)) throw revoked(cached);
      return cached;
    }
    const claims = await this.verifySignature(token);
    if (this.revocations.isRevoked(claims.sessionId)) throw revoked(claims);
    this.verified.set(key, { token, claims }, { ttl: Math.max(1, Math.ceil((claims.exp - nowSec) * 1000)) });
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessClaims> {
    if (token.length > 4096 || token.split('.').length !== 3) throw credentialError('invalid_token', 'malformed');
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      ({ kid, alg } = decodeProtectedHeader(token));
    } catch {
      throw credentialError('invalid_token', 'malformed');
    }
    // Only our algorithm and our own keys: `alg: none`, HS/EdDSA confusion and `jwk`/`jku` headers go nowhere.
    if (alg !== this.keys.alg) throw credentialError('invalid_token', 'bad_signature');
    const key = await this.keys.verifyingKey(kid);
    if (!key) throw credentialError('invalid_token', 'bad_signature');
    try {
      const { payload } = await jwtVerify(token, key.verifying, {
        algorithms: [key.alg],
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(this.ctx.clock.now()),
      });
      const userId = Number(payload.user_id);
      if (payload.token_type !== 'access') throw credentialError('invalid_token', 'wrong_type', 'The token is not an access token');
      if (typeof payload.sid !== 'string' || !Number.isSafeInteger(userId) || String(userId) !== payload.sub) throw credentialError('invalid_token', 'malformed');
      if (!this.standardClaimsOk(payload)) throw credentialError('invalid_token', 'wrong_issuer', 'Token has wrong issuer or audience');
      return { userId, sessionId: payload.sid, exp: payload.exp! };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw credentialError('token_expired', 'expired');
      throw credentialError('invalid_token', err instanceof joseErrors.JWSSignatureVerificationFailed ? 'bad_signature' : 'malformed');
    }
  }

  /**
   * `iss` must be ours and `aud`, when configured, must name one of ours. Only tokens from before
   * the upgrade lack them: one is still accepted if issued no later than one access lifetime after
   * this process started (a rolling upgrade), so a key shared with an older deployment stops
   * working then. A present but foreign value is refused at once.
   */
  private standardClaimsOk(payload: JWTPayload): boolean {
    const { jwtIssuer, jwtAudience } = this.ctx.config;
    const legacy = typeof payload.iat === 'number' && payload.iat <= this.startedAt + this.settings.get('access_token_ttl');
    if (payload.iss === undefined ? !legacy : payload.iss !== jwtIssuer) return false;
    if (jwtAudience.length === 0) return true;
    if (payload.aud === undefined) return legacy;
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return aud.some((a) => jwtAudience.includes(a));
  }
}
