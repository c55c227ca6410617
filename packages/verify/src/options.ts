/** The part of `fetch` the verifier uses (the global one by default; pass another to proxy or count requests). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

/** What the verifier reports, for logs and metrics. */
export type VerifierEvent =
  | { type: 'jwks_loaded'; keys: number }
  | { type: 'feed_live'; revoked: number }
  | { type: 'feed_down'; reason: string }
  | { type: 'revoked'; sids: string[] };

export interface Hooks {
  /** A failure the verifier recovers from by itself (a lost feed connection, a JWKS fetch that failed): log it. */
  onError?: (err: Error) => void;
  onEvent?: (event: VerifierEvent) => void;
}

export interface VerifierOptions extends Hooks {
  /** Gatehouse's public URL, exactly as its tokens' `iss` claim (GATEHOUSE_PUBLIC_URL). */
  issuer: string;
  /** When set, a token's `aud` must name one of these (GATEHOUSE_AUDIENCE). */
  audience?: string | string[];
  /** A service key (`gsk_…`, from `gatehouse service-keys create`): it reads the revocation feed. */
  serviceKey: string;
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** The feed's snapshot URL; the stream is `<feedUrl>/stream`. Default `<issuer>/v1/revocations`. */
  feedUrl?: string;
  /**
   * The shared HS256 secret, for deployments that sign with GATEHOUSE_JWT_ALG=HS256 (the value of
   * GATEHOUSE_JWT_SECRET, or what `gatehouse keys hs256-secret` prints). With it no JWKS is fetched
   * unless `jwksUrl` is given too.
   */
  secret?: string;
  /** How long the feed may be unreachable before every token is refused with `feed_unavailable`; default 30 000 ms. */
  failClosedAfterMs?: number;
  /** Leeway for exp/nbf against clock skew, seconds; default 5. */
  clockToleranceSec?: number;
  /** The least time between two JWKS refetches caused by unknown `kid`s; default 10 000 ms. */
  jwksRefetchMinMs?: number;
  /** Verified tokens remembered (signature checked once per token); default 10 000. */
  cacheMaxEntries?: number;
  /** Reconnect backoff: first delay and ceiling, ms; defaults 250 and 30 000 (exponential, with jitter). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  fetch?: FetchLike;
}
