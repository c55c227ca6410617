import { importJWK, type JWK } from 'jose';
import type { FetchLike, Hooks } from './options.js';

type Key = Awaited<ReturnType<typeof importJWK>>;

/** Algorithms Gatehouse signs with (EdDSA today; RS256/ES256 keys are taken when a JWKS lists them). */
export const asymmetricAlgs = ['EdDSA', 'RS256', 'ES256'] as const;
const accepted = new Set<string>(asymmetricAlgs);

const defaultMaxAgeMs = 300_000;
const minMaxAgeMs = 30_000;
const maxMaxAgeMs = 86_400_000;

/** `max-age` of a Cache-Control header in ms, clamped; the default when absent (or no-cache/no-store: then the floor). */
export function maxAgeOf(header: string | null): number {
  if (!header) return defaultMaxAgeMs;
  if (/\b(no-cache|no-store)\b/i.test(header)) return minMaxAgeMs;
  const m = /\bmax-age=(\d+)/i.exec(header);
  if (!m) return defaultMaxAgeMs;
  return Math.min(maxMaxAgeMs, Math.max(minMaxAgeMs, Number(m[1]) * 1000));
}

/**
 * The issuer's public keys, imported once. Refreshed in the background when the JWKS's
 * Cache-Control max-age runs out (with If-None-Match when it sent an ETag); a token with an
 * unknown `kid` may ask for one refetch, at most one per `refetchMinMs` across all callers.
 */
export class KeySet {
  private keys = new Map<string, { alg: string; key: Key }>();
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastFetchAt = -Infinity;
  private closed = false;
  loaded = false;
  /** JWKS requests made (for tests and status). */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly fetch: FetchLike,
    private readonly refetchMinMs: number,
    private readonly hooks: Hooks,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  key(kid: string | undefined): { alg: string; key: Key } | undefined {
    return kid === undefined ? undefined : this.keys.get(kid);
  }

  /** The first load; retried with the refresh schedule when it fails (never throws). */
  start(): Promise<void> {
    return this.refresh();
  }

  /** A refetch for an unknown kid, unless one ran within `refetchMinMs`; resolves when it is done (or at once when refused). */
  refetchForUnknownKid(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (Date.now() - this.lastFetchAt < this.refetchMinMs) return Promise.resolve();
    return this.refresh();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref();
  }

  private async load(): Promise<void> {
    this.lastFetchAt = Date.now();
    this.fetches++;
    try {
      const res = await this.fetch(this.url, { headers: { accept: 'application/json', ...(this.etag && this.loaded ? { 'if-none-match': this.etag } : {}) }, signal: AbortSignal.timeout(10_000) });
      const maxAge = maxAgeOf(res.headers.get('cache-control'));
      if (res.status === 304 && this.loaded) {
        this.schedule(maxAge);
        return;
      }
      if (res.status !== 200) throw new Error(`JWKS ${this.url} answered ${res.status}`);
      const body = (await res.json()) as { keys?: unknown };
      if (!body || !Array.isArray(body.keys)) throw new Error(`JWKS ${this.url} has no keys array`);
      const next = new Map<string, { alg: string; key: Key }>();
      for (const jwk of body.keys as JWK[]) {
        if (!jwk || typeof jwk.kid !== 'string' || typeof jwk.alg !== 'string' || !accepted.has(jwk.alg) || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
        try {
          next.set(jwk.kid, { alg: jwk.alg, key: await importJWK(jwk, jwk.alg) });
        } catch (err) {
          this.hooks.onError?.(new Error(`JWKS key ${jwk.kid} not imported`, { cause: err }));
        }
      }
      this.keys = next;
      this.etag = res.headers.get('etag') ?? undefined;
      this.loaded = true;
      this.hooks.onEvent?.({ type: 'jwks_loaded', keys: next.size });
      this.schedule(maxAge);
    } catch (err) {
      this.hooks.onError?.(err instanceof Error ? err : new Error(String(err)));
      // Keys in hand keep verifying; try again soon.
      this.schedule(this.loaded ? minMaxAgeMs : Math.max(1000, this.refetchMinMs));
    }
  }
}
