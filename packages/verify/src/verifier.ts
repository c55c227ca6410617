import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { toClaims, type GatehouseClaims } from './claims.js';
import { VerifyError } from './errors.js';
import { RevocationFollower } from './feed.js';
import { KeySet } from './jwks.js';
import type { FetchLike, VerifierOptions } from './options.js';

export interface VerifierStatus {
  /** The stream is connected and caught up. */
  feedLive: boolean;
  /** Since when it is not (epoch ms), or null while live. */
  feedDownSince: number | null;
  /** Tokens are being refused with `feed_unavailable`. */
  failingClosed: boolean;
  revokedSessions: number;
  keys: number;
  jwksFetches: number;
  lastEventId: string | null;
}

export interface Verifier {
  /**
   * The token's claims, or a VerifyError. No network I/O: keys and revocations are in memory (the
   * one exception: a token whose `kid` is unknown may wait for a JWKS refetch, at most one per
   * `jwksRefetchMinMs` for all callers). A token's signature is checked once, then remembered.
   */
  verify(token: string): Promise<GatehouseClaims>;
  /** Resolves once the keys are loaded and the feed has caught up; rejects with `feed_unavailable` after `timeoutMs` (default 10 s). */
  ready(timeoutMs?: number): Promise<void>;
  status(): VerifierStatus;
  close(): Promise<void>;
}

const maxTokenLength = 8192;
/** Cache key: the signature's tail (cheap to hash); a hit still compares the whole token. */
const cacheKey = (token: string) => token.slice(-32);
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Follows one Gatehouse: its JWKS and its revocation feed. Call `ready()` before serving, `close()` when stopping. */
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options.issuer !== 'string' || options.issuer === '') throw new TypeError('createVerifier: issuer is required');
  if (typeof options.serviceKey !== 'string' || !options.serviceKey.startsWith('gsk_')) throw new TypeError('createVerifier: serviceKey must be a Gatehouse service key (gsk_…)');
  const base = trimSlash(options.issuer);
  const fetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const hooks = { onError: options.onError, onEvent: options.onEvent };
  const failClosedAfterMs = options.failClosedAfterMs ?? 30_000;
  const clockTolerance = options.clockToleranceSec ?? 5;
  const maxEntries = options.cacheMaxEntries ?? 10_000;
  const audience = options.audience;
  const secret = options.secret === undefined ? undefined : new TextEncoder().encode(options.secret);
  const useJwks = secret === undefined || options.jwksUrl !== undefined;
  const keys = new KeySet(options.jwksUrl ?? `${base}/.well-known/jwks.json`, fetch, options.jwksRefetchMinMs ?? 10_000, hooks);
  const feed = new RevocationFollower({
    ...hooks,
    feedUrl: trimSlash(options.feedUrl ?? `${base}/v1/revocations`),
    serviceKey: options.serviceKey,
    fetch,
    reconnectMinMs: options.reconnectMinMs ?? 250,
    reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
  });
  const verified = new Map<string, { token: string; claims: GatehouseClaims }>();
  const keysReady = useJwks ? keys.start() : Promise.resolve();
  feed.start();

  const unavailable = () => new VerifyError('feed_unavailable', 'The revocation feed has been unreachable too long; tokens are refused until it is back.');

  /** What no signature check can vouch for: the feed's state and the session's revocation. */
  function checkLive(claims: GatehouseClaims): GatehouseClaims {
    if (!feed.usable(failClosedAfterMs)) throw unavailable();
    if (feed.isRevoked(claims.sid)) throw new VerifyError('revoked', 'The session of this token has ended.');
    return claims;
  }

  async function keyFor(token: string): Promise<{ alg: string; key: CryptoKey | Uint8Array | object }> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (err) {
      throw new VerifyError('malformed', 'The token is not a JWT.', { cause: err });
    }
    if (header.alg === 'HS256') {
      if (!secret) throw new VerifyError('bad_signature', 'HS256 tokens need the shared secret option.');
      return { alg: 'HS256', key: secret };
    }
    if (!useJwks) throw new VerifyError('bad_signature', `Unexpected algorithm ${String(header.alg)}.`);
    let known = keys.key(header.kid);
    if (!known && typeof header.kid === 'string') {
      await keysReady;
      known = keys.key(header.kid);
      if (!known) {
        await keys.refetchForUnknownKid();
        known = keys.key(header.kid);
      }
    }
    if (!known) throw keys.loaded ? new VerifyError('bad_signature', 'The token was signed with a key the issuer does not publish.') : new VerifyError('feed_unavailable', 'The issuer\'s signing keys have not been loaded yet.');
    if (known.alg !== header.alg) throw new VerifyError('bad_signature', 'The token\'s algorithm does not match its key.');
    return known;
  }

  async function verifySignature(token: string): Promise<GatehouseClaims> {
    if (token.length > maxTokenLength || token.split('.').length !== 3) throw new VerifyError('malformed', 'The token is not a JWT.');
    const { alg, key } = await keyFor(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms: [alg],
        issuer: options.issuer,
        ...(audience === undefined ? {} : { audience }),
        clockTolerance,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    return toClaims(payload);
  }

  function remember(token: string, claims: GatehouseClaims): void {
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey(token), { token, claims });
  }

  return {
    async verify(token: string): Promise<GatehouseClaims> {
      if (typeof token !== 'string' || token === '') throw new VerifyError('malformed', 'No token.');
      const key = cacheKey(token);
      const hit = verified.get(key);
      if (hit && hit.token === token) {
        if (hit.claims.exp + clockTolerance <= Date.now() / 1000) {
          verified.delete(key);
          throw new VerifyError('expired', 'The token has expired.');
        }
        return checkLive(hit.claims);
      }
      const claims = await verifySignature(token);
      checkLive(claims);
      remember(token, claims);
      return claims;
    },
    async ready(timeoutMs = 10_000): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new VerifyError('feed_unavailable', `Gatehouse's keys or revocation feed not reached within ${timeoutMs} ms.`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.all([keysReady.then(() => (useJwks && !keys.loaded ? waitLoaded(keys) : undefined)), feed.whenLive()]), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    status(): VerifierStatus {
      const f = feed.status();
      return { feedLive: f.live, feedDownSince: f.downSince, failingClosed: !feed.usable(failClosedAfterMs), revokedSessions: f.revoked, keys: keys.size, jwksFetches: keys.fetches, lastEventId: f.lastEventId };
    },
    async close(): Promise<void> {
      keys.close();
      await feed.close();
      verified.clear();
    },
  };
}

/** Polls until the first JWKS load succeeds (its own retries run on their schedule). */
async function waitLoaded(keys: KeySet): Promise<void> {
  while (!keys.loaded) await new Promise((r) => setTimeout(r, 50));
}

function mapJoseError(err: unknown): VerifyError {
  if (err instanceof VerifyError) return err;
  if (err instanceof joseErrors.JWTExpired) return new VerifyError('expired', 'The token has expired.', { cause: err });
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return new VerifyError('wrong_issuer', 'The token is not from this issuer.', { cause: err });
    if (err.claim === 'aud') return new VerifyError('wrong_audience', 'The token is not for this audience.', { cause: err });
    return new VerifyError('malformed', `The token's ${err.claim} claim is invalid.`, { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JOSEAlgNotAllowed) return new VerifyError('bad_signature', 'The token\'s signature does not verify.', { cause: err });
  return new VerifyError('malformed', 'The token is not a valid JWT.', { cause: err });
}
