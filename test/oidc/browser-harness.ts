import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type Provider from 'oidc-provider';
import { MemoryCache } from '../../src/cache/memory.js';
import { testApp, type TestApp } from '../support/app.js';
import type { BackendName } from '../support/backends.js';
import { createOidcClient } from '../../src/core/oidc-clients.js';
import { mountOidc, oidcProviderOf } from '../../src/oidc/provider.js';
import { chromiumPath } from '../support/browser.js';

export { chromiumPath };
/**
 * One URL in front of several Gatehouse instances, round-robin per request: the issuer is one
 * URL, so a flow started on one instance is finished on another.
 */
export class RoundRobinProxy {
  readonly server: Server;
  targets: number[] = [];
  /** Which instance served each request, in order (path and index). */
  readonly served: { path: string; instance: number }[] = [];
  private next = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const index = this.next++ % this.targets.length;
      this.served.push({ path: (req.url ?? '').split('?')[0]!, instance: index });
      const upstream = httpRequest({ host: '127.0.0.1', port: this.targets[index], method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface Instance {
  app: TestApp;
  provider: Provider;
  port: number;
}

/** A relying party as a test registers it (createOidcClient's input), under a name of the test's. */
export interface ClientSpec {
  key: string;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  grant_types?: string[];
  scopes?: string[];
  first_party?: boolean;
  backchannel_logout_uri?: string;
}

/** Gatehouse instances over one database and one cache, behind one proxy URL (the issuer). */
export interface Deployment {
  url: string;
  proxy: RoundRobinProxy;
  instances: Instance[];
  /** The registered clients by the test's key. */
  clients: Record<string, { id: string; secret: string }>;
  close(): Promise<void>;
}

const secretKey = 'oidc-browser-test-secret-key-0123456789abcdef';

export async function startDeployment(backend: BackendName, count: number, clientList: ClientSpec[] | ((url: string) => ClientSpec[]), beforeStart?: (url: string) => Promise<void>): Promise<Deployment> {
  const proxy = new RoundRobinProxy();
  const url = await proxy.listen();
  await beforeStart?.(url);
  // One secret key, so cookies, form tokens and sealed keys mean the same on every instance.
  const env = { GATEHOUSE_PUBLIC_URL: url, GATEHOUSE_SECRET_KEY: secretKey, GATEHOUSE_TRUST_PROXY: '127.0.0.1' };
  const instances: Instance[] = [];
  const first = await testApp(backend, env);
  const cache = first.core.cache;
  for (let i = 0; i < count; i++) {
    const app = i === 0 ? first : await testApp(backend, env, { store: first.store, cache: cache as MemoryCache });
    const provider = oidcProviderOf(app.http) ?? (await mountOidc(app.http, app.core));
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    instances.push({ app, provider, port: (app.http.server.address() as AddressInfo).port });
  }
  proxy.targets = instances.map((i) => i.port);
  const clients: Deployment['clients'] = {};
  for (const { key, ...spec } of typeof clientList === 'function' ? clientList(url) : clientList) {
    const grants = spec.grant_types ?? ['authorization_code', 'refresh_token'];
    const made = await createOidcClient(first.core, { scopes: ['openid', 'email', 'profile', ...(grants.includes('refresh_token') ? ['offline_access'] : [])], ...spec, grant_types: grants });
    clients[key] = { id: made.client.client_id, secret: made.clientSecret! };
  }
  return {
    url,
    proxy,
    instances,
    clients,
    async close() {
      await proxy.close();
      for (const i of [...instances].reverse()) await i.app.close();
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Real Chromium, allowed to reach only `allowed` origins (nothing from the internet). */
/**
 * A relying party's origin as a real HTTP server answering "relying party". A Playwright route cannot stand in
 * for it: the provider reaches it by a redirect and routes see only a redirect chain's first request, so Chromium
 * would connect to a closed port and its error page could race the suite's next navigation.
 */
export async function startRelyingParty(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('relying party'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startBrowser(allowed: string[], viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-oidc-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
  });
  await context.route((u) => !allowed.some((origin) => u.origin === origin), (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A browser without a browser: follows redirects by hand and keeps cookies, for suites that only need the flow. */
export class FormAgent {
  private readonly cookies = new Map<string, string>();
  /** Every response, for assertions on the hops. */
  readonly hops: { url: string; status: number }[] = [];

  constructor(private readonly origin: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(url: string, init: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), ...(init.headers ?? {}) };
    let body: string | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      headers.origin ??= this.origin;
    }
    const response = await fetch(new URL(url, this.origin), { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    this.hops.push({ url: String(url), status: response.status });
    return response;
  }

  /** Follows 30x on this origin until a page answers or the redirect leaves for `stopAt`. */
  async follow(url: string, stopAt: string, init: Parameters<FormAgent['send']>[1] = {}): Promise<{ response: Response; url: string }> {
    let response = await this.send(url, init);
    let at = url;
    while (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, new URL(at, this.origin)).href;
      if (location.startsWith(stopAt)) return { response, url: location };
      at = location;
      response = await this.send(location);
    }
    return { response, url: new URL(at, this.origin).href };
  }
}

/** The hidden CSRF field of a hosted page. */
export function csrfOf(page: string): string {
  const found = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!found) throw new Error(`no CSRF field in page: ${page.slice(0, 300)}`);
  return found[1]!;
}

/** An authorization request for `clientId` with PKCE, ready for the browser or a FormAgent. */
export async function authorization(issuer: string, client: { id: string; secret: string }, redirectUri: string, extra: Record<string, string> = {}) {
  const { discovery, allowInsecureRequests, randomPKCECodeVerifier, calculatePKCECodeChallenge, buildAuthorizationUrl, randomState } = await import('openid-client');
  const config = await discovery(new URL(issuer), client.id, client.secret, undefined, { execute: [allowInsecureRequests] });
  const verifier = randomPKCECodeVerifier();
  const state = randomState();
  const url = buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid offline_access', code_challenge: await calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, ...extra });
  return { config, verifier, state, url };
}

/** Starts an authorization with a FormAgent and stops on the hosted page it lands on. */
export async function openHostedPage(agent: FormAgent, url: URL, stopAt: string): Promise<{ path: string; uid: string; page: string; status: number }> {
  const step = await agent.follow(url.href, stopAt);
  const path = new URL(step.url).pathname;
  const uid = /\/oidc\/interaction\/([^/]+)/.exec(path)?.[1];
  if (!uid) throw new Error(`not on a hosted page: ${step.url}`);
  return { path, uid, page: await step.response.text(), status: step.response.status };
}
