import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, formHeaders, person, type Person } from '../admin/support.js';

describe.each(backends)('service keys in the admin API and the console on %s', (backend) => {
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

  const feed = (key: string) => app.request({ method: 'GET', url: '/v1/revocations', headers: { authorization: `Bearer ${key}` } });

  it('a superuser creates, lists and revokes a key; the secret is shown once, never listed, logged or stored', async () => {
    const made = await app.request({ method: 'POST', url: '/v1/admin/service-keys', token: su.token, payload: { name: 'orders service' } });
    expect(made.statusCode).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const { service_key, key } = made.json();
    expect(key).toMatch(/^gsk_[A-Za-z0-9_-]{43}$/);
    expect(service_key).toMatchObject({ name: 'orders service', prefix: key.slice(0, 10), last_used_at: null, revoked_at: null, created_by: su.id });
    expect((await feed(key)).statusCode).toBe(200);

    const listed = await app.request({ method: 'GET', url: '/v1/admin/service-keys', token: staff.token });
    expect(listed.statusCode).toBe(200);
    const item = listed.json().items.find((k: { id: string }) => k.id === service_key.id);
    expect(item.last_used_at).not.toBeNull();
    expect(listed.body).not.toContain(key.slice(4));

    const row = await app.core.db.selectFrom('service_keys').selectAll().where('id', '=', service_key.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
    const audit = await app.core.db.selectFrom('audit_events').select(['kind', 'detail', 'actor_id']).where('kind', '=', 'admin.service_key_created').execute();
    expect(audit.some((a) => a.actor_id === su.id && a.detail.includes(service_key.id))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(key.slice(4));

    const revoked = await app.request({ method: 'DELETE', url: `/v1/admin/service-keys/${service_key.id}`, token: su.token });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revoked_at).not.toBeNull();
    expect((await feed(key)).statusCode).toBe(401);
    expect((await app.request({ method: 'DELETE', url: `/v1/admin/service-keys/${service_key.id}`, token: su.token })).statusCode).toBe(409);
    expect((await app.request({ method: 'DELETE', url: '/v1/admin/service-keys/nope', token: su.token })).statusCode).toBe(404);
    expect(app.logs.join('\n')).not.toContain(key.slice(4));
  });

  it('staff may list but not create or revoke; users may not list; names are checked', async () => {
    expect((await app.request({ method: 'POST', url: '/v1/admin/service-keys', token: staff.token, payload: { name: 'x' } })).statusCode).toBe(403);
    const user = await person(app, 'user');
    expect((await app.request({ method: 'GET', url: '/v1/admin/service-keys', token: user.token })).statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: '/v1/admin/service-keys' })).statusCode).toBe(401);
    for (const name of ['', '   ', 'a\u0000b', 'x'.repeat(101), '\uD800']) {
      const res = await app.request({ method: 'POST', url: '/v1/admin/service-keys', token: su.token, payload: { name } });
      expect(res.statusCode, JSON.stringify(name)).toBe(400);
    }
    expect((await app.request({ method: 'DELETE', url: '/v1/admin/service-keys/bad%20id!', token: su.token })).statusCode).toBe(400);
  });

  it('the console page creates a key (shown on that page only) and revokes it', async () => {
    const { cookie, csrf } = await consoleLogin(app, su.username);
    const page = await app.request({ method: 'GET', url: '/admin/service-keys', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/admin/service-keys" aria-current="page"');
    const created = await app.request({ method: 'POST', url: '/admin/service-keys', payload: form({ _csrf: csrf, name: 'billing <script>' }), headers: formHeaders(cookie) });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = /gsk_[A-Za-z0-9_-]{43}/.exec(created.body)![0];
    expect(created.body).toContain('billing &lt;script&gt;');
    expect((await feed(key)).statusCode).toBe(200);
    const again = await app.request({ method: 'GET', url: '/admin/service-keys', headers: { cookie } });
    expect(again.body).not.toContain(key);
    const id = (await app.core.db.selectFrom('service_keys').select('id').where('name', '=', 'billing <script>').executeTakeFirstOrThrow()).id;
    expect((await app.request({ method: 'POST', url: `/admin/service-keys/${id}/revoke`, payload: form({ _csrf: 'forged' }), headers: formHeaders(cookie) })).statusCode).toBe(403);
    const revoke = await app.request({ method: 'POST', url: `/admin/service-keys/${id}/revoke`, payload: form({ _csrf: csrf }), headers: formHeaders(cookie) });
    expect(revoke.statusCode).toBe(303);
    expect((await feed(key)).statusCode).toBe(401);
    const bad = await app.request({ method: 'POST', url: '/admin/service-keys', payload: form({ _csrf: csrf, name: '' }), headers: formHeaders(cookie) });
    expect(bad.statusCode).toBe(400);
    // Staff see the list but no form.
    const staffSession = await consoleLogin(app, staff.username);
    const staffPage = await app.request({ method: 'GET', url: '/admin/service-keys', headers: { cookie: staffSession.cookie } });
    expect(staffPage.body).not.toContain('action="/admin/service-keys"');
    expect((await app.request({ method: 'POST', url: '/admin/service-keys', payload: form({ _csrf: staffSession.csrf, name: 'x' }), headers: formHeaders(staffSession.cookie) })).statusCode).toBe(403);
  });
});

const cli = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', ...env });

describe('gatehouse service-keys (CLI, SQLite)', () => {
  it('creates (the key printed once), lists (never the key) and revokes', { timeout: 120_000 }, async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-sk-'));
    const env = { GATEHOUSE_DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
    const created = await cli(['service-keys', 'create', '--name', 'cli key', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { service_key, key } = JSON.parse(created.stdout) as { service_key: { id: string; name: string }; key: string };
    expect(key).toMatch(/^gsk_/);
    expect(service_key.name).toBe('cli key');
    const listed = await cli(['service-keys', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(service_key.id);
    expect(listed.stdout).toContain('live');
    expect(listed.stdout).not.toContain(key.slice(10));
    const revoked = await cli(['service-keys', 'revoke', service_key.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const json = await cli(['service-keys', 'list', '--json'], env);
    expect((JSON.parse(json.stdout) as { id: string; revoked_at: string | null }[]).find((k) => k.id === service_key.id)?.revoked_at).not.toBeNull();
    const again = await cli(['service-keys', 'revoke', service_key.id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already revoked');
    const noName = await cli(['service-keys', 'create'], env);
    expect(noName.code).not.toBe(0);
  });
});
