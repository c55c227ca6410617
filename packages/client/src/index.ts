import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths, components, operations } from './schema.js';

/** What the client keeps of a session: the pair Gatehouse hands out at login, registration and refresh. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/** Where the tokens live between calls (memory by default; a browser app may keep them elsewhere). */
export interface TokenStore {
  get(): TokenPair | undefined;
  set(tokens: TokenPair | undefined): void;
}

export function memoryTokenStore(initial?: TokenPair): TokenStore {
  let tokens = initial;
  return { get: () => tokens, set: (next) => void (tokens = next) };
}

export interface GatehouseClientOptions {
  /** Gatehouse's public URL, e.g. `https://id.example.com`. */
  baseUrl: string;
  tokens?: TokenStore;
  fetch?: typeof globalThis.fetch;
  /** Called when the refresh token is refused (expired, revoked, reused): the user must sign in again. */
  onSessionEnded?: () => void;
}

export type GatehouseClient = Client<paths> & {
  tokens: TokenStore;
  /** Rotates the refresh token now (the client also does it by itself when an access token expires). */
  refresh(): Promise<boolean>;
};

const refreshPath = '/v1/auth/refresh';
/** Routes whose success carries a new pair the client should keep. */
const issuing = /^\/v1\/auth\/(login|register|refresh|mfa\/verify|mfa\/passkey|passkey)$/;

function isPair(value: unknown): value is TokenPair {
  const v = value as Partial<TokenPair> | null;
  return typeof v?.access_token === 'string' && typeof v.refresh_token === 'string';
}

/**
 * A typed client for the native and admin API (types generated from the OpenAPI document).
 * It sends the stored access token as a Bearer, keeps the pair any login, registration or
 * refresh returns, and when a call answers 401 `token_expired` it rotates the refresh token once
 * (one rotation shared by every call that hit the expiry at the same time) and replays the call.
 */
export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  const tokens = options.tokens ?? memoryTokenStore();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/$/, '');
  const replays = new WeakMap<Request, Request>();
  let rotating: Promise<boolean> | undefined;

  const rotate = (): Promise<boolean> => {
    rotating ??= (async () => {
      const current = tokens.get();
      if (!current) return false;
      const res = await fetchImpl(`${base}${refreshPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: current.refresh_token }) });
      if (res.ok) {
        const pair: unknown = await res.json();
        if (isPair(pair)) {
          tokens.set({ access_token: pair.access_token, refresh_token: pair.refresh_token });
          return true;
        }
      }
      // Only a refused token ends the session; a network error or a 5xx leaves the pair for a later try.
      if (res.status === 400 || res.status === 401) {
        tokens.set(undefined);
        options.onSessionEnded?.();
      }
      return false;
    })().finally(() => {
      rotating = undefined;
    });
    return rotating;
  };

  const middleware: Middleware = {
    onRequest({ request }) {
      const current = tokens.get();
      if (current && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${current.access_token}`);
      // A body can be read once: keep a copy to replay after a refresh.
      if (new URL(request.url).pathname !== refreshPath) replays.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      const path = new URL(request.url).pathname.slice(new URL(base).pathname.replace(/\/$/, '').length);
      if (response.ok && issuing.test(path)) {
        const body: unknown = await response.clone().json().catch(() => undefined);
        if (isPair(body)) tokens.set({ access_token: body.access_token, refresh_token: body.refresh_token });
        return response;
      }
      if (response.status !== 401 || path === refreshPath) return response;
      const problem = (await response.clone().json().catch(() => undefined)) as { code?: unknown } | undefined;
      const replay = replays.get(request);
      if (problem?.code !== 'token_expired' || !replay || !(await rotate())) return response;
      replay.headers.set('authorization', `Bearer ${tokens.get()!.access_token}`);
      return fetchImpl(replay);
    },
  };

  const client = createFetchClient<paths>({ baseUrl: base, fetch: (input: Request) => fetchImpl(input) });
  client.use(middleware);
  return Object.assign(client, { tokens, refresh: rotate });
}
