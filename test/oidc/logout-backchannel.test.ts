import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateUser } from '../../src/core/admin/user-access.js';
import { createSuperuser } from '../../src/core/superuser.js';
import { backends } from '../support/backends.js';
import { eventually } from '../support/eventually.js';
import { testPassword } from '../support/passwords.js';
import { mountedInteractions } from '../../src/oidc/interactions/index.js';
import { csrfOf, FormAgent, startDeployment, type Deployment } from './browser-harness.js';

interface Received {
  receivedAt: number;
  path: string;
  claims?: Record<string, unknown>;
  error?: string;
}

/** The relying party's back-channel endpoint, a real process verifying tokens against the JWKS. */
class RelyingParty {
  readonly received: Received[] = [];
  port = 0;
  private constructor(private readonly child: ChildProcess) {}

  static async start(issuer: string, audiences: string[], port = 0): Promise<RelyingParty> {
    const script = fileURLToPath(new URL('./logout-rp-server.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, issuer, audiences.join(','), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const rp = new RelyingParty(child);
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`relying party exited with ${code}`)));
      lines.on('line', (line) => {
        const message = JSON.parse(line) as Received & { listening?: number };
        if (message.listening) {
          rp.port = message.listening;
          resolve();
        } else rp.received.push(message);
      });
    });
    return rp;
  }

  uri(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): void {
    this.child.kill();
  }
}

const callback = 'http://127.0.0.1:9/cb';

describe.each(backends)('OIDC back-channel logout to a real relying party process (%s)', (backend) => {
  let d: Deployment;
  let rp: RelyingParty;
  let issuer: string;

  beforeAll(async () => {
    // The issuer's URL is known only once the proxy listens; the relying party asks for keys lazily.
    d = await startDeployment(backend, 2, (url) => {
      issuer = url;
      return [
        { key: 'a', name: 'App A', redirect_uris: [callback], first_party: true, backchannel_logout_uri: rp.uri('/a/logout') },
        { key: 'b', name: 'App B', redirect_uris: [callback], first_party: true, backchannel_logout_uri: rp.uri('/b/logout') },
      ];
    }, async (url) => {
      // Client ids are minted at registration: the relying party takes any of this issuer's audiences it is told of later.
      rp = await RelyingParty.start(url, ['*']);
    });
  }, 120_000);
  afterAll(async () => {
    rp?.stop();
    await d?.close();
  });

  /** A hosted sign-in for `clientId` by form posts; returns the code exchange's tokens. */
  async function signIn(agent: FormAgent, key: string, login: string) {
    const config = await oidc.discovery(new URL(issuer), d.clients[key]!.id, d.clients[key]!.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback, scope: 'openid offline_access', prompt: 'consent', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    let step = await agent.follow(url.href, callback);
    if (!step.url.startsWith(callback)) {
      const page = await step.response.text();
      expect(page).toContain('Sign in');
      step = await agent.follow(`${new URL(step.url).pathname}/login`, callback, { form: { _csrf: csrfOf(page), login, password: testPassword } });
    }
    expect(step.url.startsWith(callback), `ended at ${step.url}`).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: verifier, idTokenExpected: true });
    return { config, tokens };
  }

  it('a Gatehouse logout-all reaches both relying parties within 1 s, once each, with a verified logout token; their grants are revoked', async () => {
    const app = d.instances[0]!.app;
    const { user, access_token } = await app.signUp({ username: 'bea', email: 'bea@example.com' });
    const agent = new FormAgent(issuer);
    const a = await signIn(agent, 'a', 'bea');
    // Single sign-on: the second application needs no password.
    const b = await signIn(agent, 'b', 'bea');
    const sidA = a.tokens.claims()!.sid;
    expect(sidA).toBeTruthy();

    const before = rp.received.length;
    const started = Date.now();
    const res = await fetch(`${issuer}/v1/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    await eventually('both logout tokens', () => rp.received.length - before >= 2, 5000, 5);
    const got = rp.received.slice(before);
    for (const r of got) {
      const delay = r.receivedAt - started;
      console.log(`[${backend}] back-channel logout ${r.path} received ${delay} ms after the logout-all request`);
      expect(delay).toBeLessThan(1000);
      expect(r.error).toBeUndefined();
    }
    const byPath = Object.fromEntries(got.map((r) => [r.path, r.claims!]));
    expect(byPath['/a/logout']).toMatchObject({ iss: issuer, aud: d.clients.a!.id, sub: String(user.id), sid: sidA });
    // app-b did not ask for sid in its ID tokens; its logout token still names the session.
    expect(byPath['/b/logout']).toMatchObject({ iss: issuer, aud: d.clients.b!.id, sub: String(user.id), sid: expect.any(String) });
    for (const claims of Object.values(byPath)) {
      expect(typeof claims.iat).toBe('number');
      expect(typeof claims.jti).toBe('string');
      expect(claims.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    }
    // Two instances share the database and the cache: only the one that committed sends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rp.received.length - before).toBe(2);
    await expect(oidc.refreshTokenGrant(a.config, a.tokens.refresh_token!)).rejects.toThrow();
    await expect(oidc.refreshTokenGrant(b.config, b.tokens.refresh_token!)).rejects.toThrow();
    expect((await oidc.tokenIntrospection(a.config, a.tokens.access_token)).active).toBe(false);
  });

  it('deactivating the account on the other instance ends the relying party session the same way', async () => {
    const [one, two] = [d.instances[0]!.app, d.instances.at(-1)!.app];
    const { user } = await one.signUp({ username: 'cyd', email: 'cyd@example.com' });
    const agent = new FormAgent(issuer);
    const a = await signIn(agent, 'a', 'cyd');
    const before = rp.received.length;
    const admin = await createSuperuser(two.core, { username: `root-${backend}`, email: `root-${backend}@example.com`, password: testPassword });
    const started = Date.now();
    await deactivateUser(two.core, { user: admin, meta: { ip: '127.0.0.1', userAgent: 'test' } }, user.id);
    await eventually('the logout token', () => rp.received.length > before, 5000, 5);
    const got = rp.received[before]!;
    console.log(`[${backend}] back-channel logout after deactivation received ${got.receivedAt - started} ms later`);
    expect(got.receivedAt - started).toBeLessThan(1000);
    expect(got.claims).toMatchObject({ aud: d.clients.a!.id, sub: String(user.id), sid: a.tokens.claims()!.sid });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rp.received.length - before).toBe(1);
    await expect(oidc.refreshTokenGrant(a.config, a.tokens.refresh_token!)).rejects.toThrow();
  });

  it('a relying party that is down is retried, then given up, without holding the logout back', async () => {
    const app = d.instances[0]!.app;
    const { access_token } = await app.signUp({ username: 'dot', email: 'dot@example.com' });
    const agent = new FormAgent(issuer);
    await signIn(agent, 'a', 'dot');
    rp.stop();
    const started = Date.now();
    const res = await fetch(`${issuer}/v1/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    // The logout answered without waiting for the relying party.
    expect(Date.now() - started).toBeLessThan(1000);
    const sent = d.instances.map((i) => mountedInteractions(i.provider)!.backchannel);
    await Promise.all(sent.map((b) => b.settled()));
    const logs = d.instances.flatMap((i) => i.app.logs).join('');
    expect(logs).toContain('oidc back-channel logout not delivered; giving up');
    rp = await RelyingParty.start(issuer, ['*'], rp.port);
  }, 20_000);
});
