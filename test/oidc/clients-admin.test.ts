import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, formHeaders, person, type Person } from '../admin/support.js';
import { basic, form as oauthForm } from './provider-support.js';

const good = { name: 'Team wiki', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://wiki.example/oauth/callback'] };

describe.each(backends)('OpenID clients in the admin API and the console on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let su: Person;

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    su = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  const create = (payload: unknown, headers: Record<string, string> = {}) => app.request({ method: 'POST', url: '/v1/admin/oidc/clients', token: su.token, payload: payload as object, headers });
  const clientCount = async () => Number((await app.core.db.selectFrom('oidc_clients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const ccToken = (id: string, secret: string) => app.request({ method: 'POST', url: '/oidc/token', payload: oauthForm({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) } });

  it('a superuser registers, reads, lists and revokes a client; the secret is shown once and stored only as a digest', async () => {
    const made = await create({ ...good, first_party: true });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const { client, client_id, client_secret } = made.json();
    expect(client_id).toMatch(/^gc_[A-Za-z0-9_-]{16}$/);
    expect(client_secret).toMatch(/^gcs_[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({ client_id, name: 'Team wiki', public: false, first_party: true, auth_method: 'client_secret_basic', scopes: ['openid', 'profile', 'email', 'offline_access'], revoked_at: null, created_by: su.id });
    const one = await app.request({ method: 'GET', url: `/v1/admin/oidc/clients/${client_id}`, token: staff.token });
    expect(one.statusCode).toBe(200);
    expect(one.json().redirect_uris).toEqual(good.redirect_uris);
    const listed = await app.request({ method: 'GET', url: '/v1/admin/oidc/clients', token: staff.token });
    expect(listed.json().items.map((c: { client_id: string }) => c.client_id)).toContain(client_id);
    expect(listed.body).not.toContain(client_secret.slice(4));
    const row = await app.core.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', client_id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(client_secret.slice(4));
    const audit = await app.core.db.selectFrom('audit_events').select(['detail', 'actor_id']).where('kind', '=', 'admin.oidc_client_created').execute();
    expect(audit.some((a) => a.actor_id === su.id && a.detail.includes(client_id))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(client_secret.slice(4));

    const revoked = await app.request({ method: 'DELETE', url: `/v1/admin/oidc/clients/${client_id}`, token: su.token });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).not.toBeNull();
    expect((await app.request({ method: 'DELETE', url: `/v1/admin/oidc/clients/${client_id}`, token: su.token })).statusCode).toBe(409);
    expect((await app.request({ method: 'DELETE', url: '/v1/admin/oidc/clients/gc_nosuchclient', token: su.token })).statusCode).toBe(404);
    expect((await app.request({ method: 'GET', url: '/v1/admin/oidc/clients/gc_nosuchclient', token: su.token })).statusCode).toBe(404);
    expect(app.logs.join('\n')).not.toContain(client_secret.slice(4));
  });

  it('a public client has no secret; a machine client gets tokens until revoked', async () => {
    const spa = await create({ name: 'SPA', grant_types: ['authorization_code'], public: true, redirect_uris: ['http://localhost:5173/cb', 'com.example.app:/cb'] });
    expect(spa.statusCode, spa.body).toBe(201);
    expect(spa.json()).toMatchObject({ client_secret: null, client: { public: true, auth_method: 'none' } });
    const machine = await create({ name: 'Worker', grant_types: ['client_credentials'], api_scopes: ['reports:read'] });
    const { client_id, client_secret } = machine.json();
    expect((await ccToken(client_id, client_secret)).statusCode).toBe(200);
    await app.request({ method: 'DELETE', url: `/v1/admin/oidc/clients/${client_id}`, token: su.token });
    expect((await ccToken(client_id, client_secret)).statusCode).toBe(401);
  });

  it('staff may read but not register or revoke; users and anonymous callers nothing', async () => {
    expect((await app.request({ method: 'POST', url: '/v1/admin/oidc/clients', token: staff.token, payload: good })).statusCode).toBe(403);
    const user = await person(app, 'user');
    expect((await app.request({ method: 'GET', url: '/v1/admin/oidc/clients', token: user.token })).statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: '/v1/admin/oidc/clients' })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/admin/oidc/clients', token: 'not-a-token' })).statusCode).toBe(401);
  });

  it('bad input is a 400 naming the field, and nothing is written', async () => {
    const before = await clientCount();
    const cases: [unknown, string][] = [
      [{ ...good, name: '' }, 'name'],
      [{ ...good, name: 'a\u0000b' }, 'name'],
      [{ ...good, name: '\uD800' }, 'name'],
      [{ ...good, name: 'x'.repeat(101) }, 'name'],
      [{ ...good, name: 42 }, 'name'],
      [{ name: 'x' }, 'grant_types'],
      [{ ...good, grant_types: ['implicit'] }, 'grant_types'],
      [{ ...good, grant_types: ['refresh_token'] }, 'grant_types'],
      [{ ...good, grant_types: 'authorization_code' }, 'grant_types'],
      [{ ...good, redirect_uris: [] }, 'redirect_uris'],
      [{ ...good, redirect_uris: ['/relative'] }, 'redirect_uris'],
      [{ ...good, redirect_uris: ['http://wiki.example/cb'] }, 'redirect_uris'],
      [{ ...good, redirect_uris: ['https://wiki.example/cb#frag'] }, 'redirect_uris'],
      [{ ...good, redirect_uris: ['https://user:pw@wiki.example/cb'] }, 'redirect_uris'],
      [{ ...good, redirect_uris: ['javascript:alert(1)'] }, 'redirect_uris'],
      [{ ...good, redirect_uris: [`https://wiki.example/${'a'.repeat(2000)}`] }, 'redirect_uris'],
      [{ ...good, redirect_uris: Array.from({ length: 11 }, (_, i) => `https://wiki.example/${i}`) }, 'redirect_uris'],
      [{ ...good, redirect_uris: [42] }, 'redirect_uris'],
      [{ ...good, scopes: ['admin'] }, 'scopes'],
      [{ ...good, scopes: ['profile'] }, 'scopes'],
      [{ ...good, public: 'yes' }, 'public'],
      [{ ...good, access_token_ttl: 5 }, 'access_token_ttl'],
      [{ ...good, access_token_ttl: '300' }, 'access_token_ttl'],
      [{ name: 'm', grant_types: ['client_credentials'], public: true }, 'grant_types'],
      [{ name: 'm', grant_types: ['client_credentials'], api_scopes: ['has space'] }, 'api_scopes'],
      [{ name: 'm', grant_types: ['client_credentials'], api_scopes: ['openid'] }, 'api_scopes'],
      [{ name: 'm', grant_types: ['client_credentials'], redirect_uris: ['https://x.example/cb'] }, 'redirect_uris'],
      [{ ...good, auth_method: 'client_secret_jwt' }, 'auth_method'],
      [{ ...good, auth_method: 'none' }, 'auth_method'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 120)).toBe(400);
      expect(JSON.stringify(res.json()), JSON.stringify(payload).slice(0, 120)).toContain(field);
    }
    const malformed = await app.request({ method: 'POST', url: '/v1/admin/oidc/clients', token: su.token, payload: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    const text = await app.request({ method: 'POST', url: '/v1/admin/oidc/clients', token: su.token, payload: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    const huge = await app.request({ method: 'POST', url: '/v1/admin/oidc/clients', token: su.token, payload: JSON.stringify({ ...good, name: 'x'.repeat(2_000_000) }), headers: { 'content-type': 'application/json' } });
    expect([400, 413]).toContain(huge.statusCode);
    expect((await app.request({ method: 'DELETE', url: '/v1/admin/oidc/clients/bad%20id!', token: su.token })).statusCode).toBe(400);
    expect(await clientCount()).toBe(before);
    // An unknown field is dropped, as everywhere in the API.
    const extra = await create({ ...good, client_secret: 'chosen-by-caller', is_admin: true });
    expect(extra.statusCode).toBe(201);
    expect(extra.json().client_secret).not.toBe('chosen-by-caller');
  });

  it('the console page registers a client (secret on that page only) and revokes it', async () => {
    const { cookie, csrf } = await consoleLogin(app, su.username);
    const page = await app.request({ method: 'GET', url: '/admin/oidc-clients', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/admin/oidc-clients" aria-current="page"');
    const created = await app.request({ method: 'POST', url: '/admin/oidc-clients', payload: form({ _csrf: csrf, name: 'Grafana <b>', kind: 'signin', redirect_uris: 'https://grafana.example/login/generic_oauth\r\n' }), headers: formHeaders(cookie) });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toContain('Grafana &lt;b&gt;');
    const secret = /gcs_[A-Za-z0-9_-]{43}/.exec(created.body)![0];
    const id = /gc_[A-Za-z0-9_-]{16}/.exec(created.body)![0];
    const again = await app.request({ method: 'GET', url: '/admin/oidc-clients', headers: { cookie } });
    expect(again.body).toContain(id);
    expect(again.body).not.toContain(secret);
    const bad = await app.request({ method: 'POST', url: '/admin/oidc-clients', payload: form({ _csrf: csrf, name: 'x', kind: 'signin', redirect_uris: 'http://evil.example/cb' }), headers: formHeaders(cookie) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Use https');
    expect((await app.request({ method: 'POST', url: `/admin/oidc-clients/${id}/revoke`, payload: form({ _csrf: 'forged' }), headers: formHeaders(cookie) })).statusCode).toBe(403);
    const revoke = await app.request({ method: 'POST', url: `/admin/oidc-clients/${id}/revoke`, payload: form({ _csrf: csrf }), headers: formHeaders(cookie) });
    expect(revoke.statusCode).toBe(303);
    const staffSession = await consoleLogin(app, staff.username);
    const staffPage = await app.request({ method: 'GET', url: '/admin/oidc-clients', headers: { cookie: staffSession.cookie } });
    expect(staffPage.body).not.toContain('action="/admin/oidc-clients"');
    expect((await app.request({ method: 'POST', url: '/admin/oidc-clients', payload: form({ _csrf: staffSession.csrf, name: 'x', kind: 'machine' }), headers: formHeaders(staffSession.cookie) })).statusCode).toBe(403);
  });
});

const cli = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', ...env });

describe('gatehouse clients (CLI, SQLite)', () => {
  it('creates (secret printed once), lists (never the secret) and revokes', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-clients-'));
    const env = { GATEHOUSE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
    const created = await cli(['clients', 'create', '--name', 'wiki', '--redirect-uri', 'https://wiki.example/cb', '--redirect-uri', 'https://wiki.example/cb2', '--grant', 'authorization_code,refresh_token', '--first-party', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const out = JSON.parse(created.stdout) as { client_id: string; client_secret: string; client: { redirect_uris: string[]; first_party: boolean } };
    expect(out.client.redirect_uris).toEqual(['https://wiki.example/cb', 'https://wiki.example/cb2']);
    expect(out.client.first_party).toBe(true);
    expect(out.client_secret).toMatch(/^gcs_/);
    const plain = await cli(['clients', 'create', '--name', 'worker', '--grant', 'client_credentials', '--scope', 'reports:read'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/client_id: gc_/);
    expect(plain.stdout).toMatch(/client_secret \(shown this once\): gcs_/);
    const listed = await cli(['clients', 'list'], env);
    expect(listed.stdout).toContain(out.client_id);
    expect(listed.stdout).not.toContain(out.client_secret.slice(4));
    expect((await cli(['clients', 'revoke', out.client_id], env)).code).toBe(0);
    const again = await cli(['clients', 'revoke', out.client_id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already revoked');
    const bad = await cli(['clients', 'create', '--name', 'x', '--grant', 'authorization_code', '--redirect-uri', 'http://evil.example/cb'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('redirect_uris');
  });
});
