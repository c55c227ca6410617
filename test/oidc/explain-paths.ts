import * as oidc from 'openid-client';
import { revokeOidcClientById } from '../../src/core/oidc-clients.js';
import type { TestApp } from '../support/app.js';
import { recordQueries, type CapturedQuery } from '../support/query-capture.js';
import { basic, form, machineClient, mintCode, registerClient, webClient, webRedirect } from './provider-support.js';

/** The OpenID provider's request paths for test/perf/explain.test.ts: every statement they send is recorded. */
export async function driveOidc(app: TestApp, out: CapturedQuery[]): Promise<void> {
  const rec = async (path: string, work: () => Promise<unknown>) => out.push(...(await recordQueries(app, path, work)));
  const post = async (url: string, body: Record<string, string>, id: string, secret: string, status = 200) => {
    const res = await app.request({ method: 'POST', url, payload: form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) } });
    if (res.statusCode !== status) throw new Error(`${url}: expected ${status}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
    // Revocation answers 200 with an empty body (RFC 7009).
    return res.body ? res.json() : undefined;
  };
  const machine = await registerClient(app, machineClient);
  const web = await registerClient(app, webClient);
  const userId = (await app.signUp({ username: `oidc${process.pid}`, email: `oidc${process.pid}@example.com` })).user.id;
  let cc = '';
  await rec('oidc client credentials', async () => {
    cc = (await post('/oidc/token', { grant_type: 'client_credentials', scope: 'invoices:read' }, machine.clientId, machine.secret)).access_token;
  });
  await rec('oidc introspection', () => post('/oidc/token/introspection', { token: cc }, machine.clientId, machine.secret));
  await rec('oidc revocation', () => post('/oidc/token/revocation', { token: cc }, machine.clientId, machine.secret));
  await rec('oidc authorization request', async () => {
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
    const res = await app.request({ method: 'GET', url: `/oidc/auth?${new URLSearchParams({ client_id: web.clientId, response_type: 'code', redirect_uri: webRedirect, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}` });
    if (res.statusCode !== 303) throw new Error(`authorization: ${res.statusCode}`);
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const code = await mintCode(app, { clientId: web.clientId, accountId: userId, scope: 'openid email offline_access', verifier });
  let tokens: { access_token: string; refresh_token: string } = { access_token: '', refresh_token: '' };
  await rec('oidc code exchange', async () => {
    tokens = await post('/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier }, web.clientId, web.secret);
  });
  await rec('oidc code replay', () => post('/oidc/token', { grant_type: 'authorization_code', code, redirect_uri: webRedirect, code_verifier: verifier }, web.clientId, web.secret, 400));
  const second = await mintCode(app, { clientId: web.clientId, accountId: userId, scope: 'openid email offline_access', verifier });
  tokens = await post('/oidc/token', { grant_type: 'authorization_code', code: second, redirect_uri: webRedirect, code_verifier: verifier }, web.clientId, web.secret);
  await rec('oidc userinfo', async () => {
    const res = await app.request({ method: 'GET', url: '/oidc/userinfo', token: tokens.access_token });
    if (res.statusCode !== 200) throw new Error(`userinfo: ${res.statusCode} ${res.body}`);
  });
  let rotated = '';
  await rec('oidc refresh', async () => {
    rotated = (await post('/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, web.clientId, web.secret)).refresh_token;
  });
  await rec('oidc refresh replay', () => post('/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, web.clientId, web.secret, 400));
  void rotated;
  await rec('oidc client revoked', () => revokeOidcClientById(app.core, machine.clientId));
}

/** Skewed provider state: one grant with most of the tokens, most rows of one model. */
export async function seedOidcHistory(app: TestApp): Promise<void> {
  const db = app.store.db;
  const now = app.clock.now();
  for (let i = 0; i < 3000; i += 250) {
    const rows = Array.from({ length: 250 }, (_, k) => ({ model: (i + k) % 10 ? 'AccessToken' : 'Session', id: `seed-o${i + k}`, payload: '{}', grant_id: (i + k) % 10 ? 'seed-grant' : null, client_id: (i + k) % 10 ? 'gc_seedclient' : null, uid: (i + k) % 10 ? null : `seed-u${i + k}`, user_code: null, expires_at: now + 3_600_000 - (i + k), consumed_at: null }));
    await db.insertInto('oidc_models').values(rows).execute();
  }
  // Many clients, most revoked: a deployment's client list grows with the apps it has had.
  for (let i = 0; i < 2000; i += 250) {
    const clients = Array.from({ length: 250 }, (_, k) => ({
      client_id: `gc_seed${i + k}`, name: 'seed', secret_hash: null, redirect_uris: '[]', post_logout_redirect_uris: '[]', grant_types: 'client_credentials',
      scopes: '', api_scopes: '', auth_method: 'none', first_party: 0, access_token_ttl: null, refresh_token_ttl: null, backchannel_logout_uri: null,
      created_at: now, created_by: null, revoked_at: (i + k) % 20 ? now : null,
    }));
    await db.insertInto('oidc_clients').values(clients).execute();
  }
}
