import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { deleteExpiredRows } from '../../src/jobs/cleanup.js';
import type { MemoryCache } from '../../src/cache/memory.js';
import { backends } from '../support/backends.js';
import { callbackUrl, listeningApp, machineClient, mintCode, registerClient, rpConfig, webClient, type Listening } from './provider-support.js';

const python = '/usr/bin/python3';
const script = join(dirname(fileURLToPath(import.meta.url)), 'authlib_client.py');
const secretKey = 'oidc-two-instances-secret-key-0123456789abcdef';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(backends)('OpenID provider across instances and client libraries on %s', (backend) => {
  let a: Listening;
  let b: Listening;

  beforeAll(async () => {
    a = await listeningApp(backend, { GATEHOUSE_SECRET_KEY: secretKey });
    b = await listeningApp(backend, { GATEHOUSE_SECRET_KEY: secretKey }, { store: a.app.store, cache: a.app.core.cache as MemoryCache });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a token issued by one instance is introspected and refreshed at the other; both publish the same keys', async () => {
    const machine = await registerClient(a.app, machineClient);
    const issued = await oidc.clientCredentialsGrant(await rpConfig(a.url, machine.clientId, machine.secret), { scope: 'invoices:read' });
    const atB = await oidc.tokenIntrospection(await rpConfig(b.url, machine.clientId, machine.secret), issued.access_token);
    expect(atB).toMatchObject({ active: true, client_id: machine.clientId });

    const web = await registerClient(a.app, webClient);
    const user = (await a.app.signUp({ username: 'lin', email: 'lin@example.com' })).user.id;
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(a.app, { clientId: web.clientId, accountId: user, scope: 'openid offline_access', verifier });
    const configB = await rpConfig(b.url, web.clientId, web.secret);
    // The issuer differs by port here, so B exchanges the code A's provider stored (one database).
    const tokens = await oidc.authorizationCodeGrant(configB, callbackUrl(b.url, code), { pkceCodeVerifier: verifier });
    const refreshedAtB = await oidc.refreshTokenGrant(configB, tokens.refresh_token!);
    expect((await oidc.tokenIntrospection(await rpConfig(a.url, web.clientId, web.secret), refreshedAtB.access_token)).active).toBe(true);

    const jwksA = (await a.app.request({ method: 'GET', url: '/oidc/jwks' })).json();
    const jwksB = (await b.app.request({ method: 'GET', url: '/oidc/jwks' })).json();
    expect(jwksA).toEqual(jwksB);
  });

  it('a key rotation on one instance reaches the other instance\'s provider', async () => {
    const web = await registerClient(a.app, webClient);
    const user = (await a.app.signUp({ username: 'mo', email: 'mo@example.com' })).user.id;
    const before = a.app.core.keys.idTokenKey().kid;
    await a.app.core.keys.rotate(300);
    const after = a.app.core.keys.idTokenKey().kid;
    expect(after).not.toBe(before);
    b.app.clock.advance(61);
    b.app.core.keys.idTokenKey(); // starts B's background reload, as any signing does
    await new Promise((r) => setTimeout(r, 200));
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(b.app, { clientId: web.clientId, accountId: user, scope: 'openid', verifier });
    const tokens = await oidc.authorizationCodeGrant(await rpConfig(b.url, web.clientId, web.secret), callbackUrl(b.url, code), { pkceCodeVerifier: verifier });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { kid: string; alg: string };
    expect(header).toEqual(expect.objectContaining({ kid: after, alg: 'RS256' }));
    // The retired key is still published while its tokens may live.
    const kids = (await b.app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before, after]));
  });

  it.skipIf(!existsSync(python))('authlib (Python) gets a client-credentials token and verifies an RS256 ID token against the JWKS', async () => {
    const machine = await registerClient(a.app, machineClient);
    const web = await registerClient(a.app, webClient);
    const user = (await a.app.signUp({ username: 'ken', email: 'ken@example.com' })).user.id;
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await mintCode(a.app, { clientId: web.clientId, accountId: user, scope: 'openid', verifier });
    const tokens = await oidc.authorizationCodeGrant(await rpConfig(a.url, web.clientId, web.secret), callbackUrl(a.url, code), { pkceCodeVerifier: verifier });
    const out = await run([script, a.url, machine.clientId, machine.secret, tokens.id_token!]);
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { token: { scope: string }; introspection: { active: boolean; client_id: string }; id_token: { sub: string; aud: string }; alg: string };
    expect(result.token.scope).toBe('invoices:read');
    expect(result.introspection).toMatchObject({ active: true, client_id: machine.clientId });
    expect(result.id_token).toMatchObject({ sub: String(user), aud: web.clientId });
    expect(result.alg).toBe('RS256');
    // A tampered ID token is refused by authlib.
    const [h, p, s] = tokens.id_token!.split('.');
    const forged = [h, Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: '1' })).toString('base64url'), s].join('.');
    const refused = await run([script, a.url, machine.clientId, machine.secret, forged]);
    expect(refused.code).not.toBe(0);
  });

  it('the cleanup job deletes expired provider state in batches and keeps what is alive', async () => {
    const machine = await registerClient(a.app, machineClient);
    const config = await rpConfig(a.url, machine.clientId, machine.secret);
    const live = await oidc.clientCredentialsGrant(config, {});
    const now = a.app.clock.now();
    const rows = Array.from({ length: 250 }, (_, i) => ({ model: 'AccessToken', id: `dead-${i}`, payload: '{}', grant_id: null, client_id: null, uid: null, user_code: null, expires_at: now - 1000 - i, consumed_at: null }));
    await a.app.store.db.insertInto('oidc_models').values(rows).execute();
    const counts = await deleteExpiredRows({ db: a.app.store.db, clock: a.app.clock, log: a.app.core.log, retentionSeconds: 86_400, sessionIdleSeconds: 86_400, batchSize: 100, maxBatches: 10 });
    expect(counts!.one_time_codes).toBeGreaterThanOrEqual(250);
    const left = await a.app.store.db.selectFrom('oidc_models').select('id').where('id', 'like', 'dead-%').execute();
    expect(left).toEqual([]);
    expect((await oidc.tokenIntrospection(config, live.access_token)).active).toBe(true);
  });
});
