import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { password, person, type Person } from './support.js';

describe.each(backends)('admin API: settings, audit, mail, overview on %s', (backend) => {
  let app: TestApp;
  let other: Gatehouse;
  let staff: Person;
  let su: Person;

  const api = (who: Person, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => app.request({ method, url, payload, token: who.token });
  const lifetime = (token: string) => {
    const c = decodeJwt(token);
    return c.exp! - c.iat!;
  };

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    // A second instance over the same database and cache, as a second server process would be.
    other = await createApp(app.config, { clock: app.clock, store: app.store, cache: app.core.cache, log: app.core.log, mailWorker: false, migrate: false });
    staff = await person(app, 'staff');
    su = await person(app, 'superuser');
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  it('a lifetime change applies to the next token on every instance, without a restart, audited old → new', async () => {
    const before = app.core.settings.get('access_token_ttl');
    const res = await api(su, 'PATCH', '/v1/admin/settings', { access_token_ttl: 120, refresh_token_ttl: 3600 });
    expect(res.statusCode).toBe(200);
    const ttl = res.json().find((s: { key: string }) => s.key === 'access_token_ttl');
    expect(ttl).toMatchObject({ value: 120, default: before, type: 'int', min: 10, max: 86400, updated_by: su.id, group: 'Tokens' });
    expect(ttl.updated_at).toMatch(/^\d{4}-/);

    const here = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: staff.username, password } });
    expect(lifetime(here.json().access_token)).toBe(120);
    expect(here.json().expires_in).toBe(120);
    const there = await other.http.inject({ method: 'POST', url: '/v1/auth/login', payload: { login: staff.username, password } });
    expect(lifetime(there.json().access_token)).toBe(120);
    expect(other.core.settings.get('refresh_token_ttl')).toBe(3600);

    const audit = (await api(staff, 'GET', '/v1/admin/audit?kind=admin.setting_changed')).json().items;
    const row = audit.find((e: { detail: { key: string } }) => e.detail.key === 'access_token_ttl');
    expect(row).toMatchObject({ actor_id: su.id, actor_label: su.username, detail: { key: 'access_token_ttl', old: before, new: 120 } });
    await api(su, 'PATCH', '/v1/admin/settings', { access_token_ttl: before });
  });

  it('validates every change first: one bad value applies none, with a message per field', async () => {
    const before = app.core.settings.all();
    const res = await api(su, 'PATCH', '/v1/admin/settings', { otp_length: 7, access_token_ttl: 5, activation_mode: 'magic', password_check_common: 'yes', no_such_thing: 1 });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().errors).sort()).toEqual(['access_token_ttl', 'activation_mode', 'no_such_thing', 'password_check_common']);
    expect(res.json().errors.access_token_ttl).toEqual(['Expected a number from 10 to 86400.']);
    expect(app.core.settings.all()).toEqual(before);
    expect((await api(staff, 'PATCH', '/v1/admin/settings', { otp_length: 7 })).statusCode).toBe(403);
    expect(app.core.settings.get('otp_length')).toBe(before.otp_length);
    // Staff may read them.
    const list = (await api(staff, 'GET', '/v1/admin/settings')).json();
    expect(list.map((s: { key: string }) => s.key)).toContain('activation_mode');
  });

  it('filters, pages and exports the audit log', async () => {
    const u = await person(app, 'user');
    await api(staff, 'POST', `/v1/admin/users/${u.id}/deactivate`);
    await api(staff, 'POST', `/v1/admin/users/${u.id}/activate`);
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: u.username, password: '=cmd|calc' } });

    const byUser = (await api(staff, 'GET', `/v1/admin/audit?user_id=${u.id}`)).json().items;
    expect(byUser.map((e: { kind: string }) => e.kind)).toEqual(['login.failed', 'admin.user_activated', 'admin.user_deactivated', 'login.succeeded', 'user.registered']);
    const byActor = (await api(staff, 'GET', `/v1/admin/audit?actor_id=${staff.id}&user_id=${u.id}`)).json().items;
    expect(byActor.map((e: { kind: string }) => e.kind)).toEqual(['admin.user_activated', 'admin.user_deactivated']);
    const family = (await api(staff, 'GET', `/v1/admin/audit?kind=admin.&user_id=${u.id}`)).json().items;
    expect(family).toHaveLength(2);
    const today = new Date(app.clock.now()).toISOString().slice(0, 10);
    expect((await api(staff, 'GET', `/v1/admin/audit?user_id=${u.id}&from=${today}&to=${today}`)).json().items).toHaveLength(5);
    expect((await api(staff, 'GET', `/v1/admin/audit?user_id=${u.id}&to=${today}T00:00:00Z`)).json().items).toHaveLength(0);

    const first = (await api(staff, 'GET', `/v1/admin/audit?user_id=${u.id}&limit=3`)).json();
    const second = (await api(staff, 'GET', `/v1/admin/audit?user_id=${u.id}&limit=3&cursor=${first.next_cursor}`)).json();
    expect([...first.items, ...second.items].map((e: { id: number }) => e.id)).toEqual(byUser.map((e: { id: number }) => e.id));
    expect(second.next_cursor).toBeNull();

    const csv = await api(staff, 'GET', `/v1/admin/audit/export?format=csv&user_id=${u.id}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,kind,user_id,user,actor_id,actor,ip,user_agent,detail');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toContain(`admin.user_deactivated,${u.id},${u.username},${staff.id},${staff.username}`);
    const json = await api(staff, 'GET', `/v1/admin/audit/export?format=json&kind=admin.user_activated&user_id=${u.id}`);
    expect(json.headers['content-type']).toContain('application/json');
    expect(JSON.parse(json.body)).toEqual([expect.objectContaining({ kind: 'admin.user_activated', user_id: u.id, actor_id: staff.id })]);
  });

  it('defuses spreadsheet formulas in CSV exports', async () => {
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: '=HYPERLINK("http://x")', password: 'whatever' } });
    const csv = (await api(staff, 'GET', '/v1/admin/audit/export?format=csv&kind=login.failed')).body;
    expect(csv).toContain(`"{""reason"":""unknown_account"",""login"":""=HYPERLINK(\\""http://x\\"")""}"`);
    for (const line of csv.split('\r\n')) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+@]/);
  });

  it('lists mail by status, shows bodies only to superusers, retries a failed one', async () => {
    const now = app.clock.now();
    const insert = (status: string) =>
      app.core.db
        .insertInto('outbox')
        .values({ kind: 'password_reset', to_addr: `${status}@example.com`, subject: `Reset (${status})`, text_body: 'code 123456', html_body: '<p>code</p>', status, attempts: status === 'failed' ? 5 : 0, next_attempt_at: now, created_at: now, last_error: status === 'failed' ? 'connection refused' : null })
        .returning('id')
        .executeTakeFirstOrThrow();
    const failed = Number((await insert('failed')).id);
    await insert('pending');
    const list = (await api(staff, 'GET', '/v1/admin/mail?status=failed')).json();
    expect(list.items.map((m: { id: number }) => m.id)).toContain(failed);
    expect(list.items.every((m: { status: string }) => m.status === 'failed')).toBe(true);
    expect((await api(staff, 'GET', `/v1/admin/mail/${failed}`)).json()).toMatchObject({ id: failed, to: 'failed@example.com', last_error: 'connection refused', text_body: null });
    expect((await api(su, 'GET', `/v1/admin/mail/${failed}`)).json().text_body).toBe('code 123456');

    const retried = await api(staff, 'POST', `/v1/admin/mail/${failed}/retry`);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await api(staff, 'POST', `/v1/admin/mail/${failed}/retry`)).statusCode).toBe(409);
    expect((await api(staff, 'POST', '/v1/admin/mail/987654/retry')).statusCode).toBe(404);
    const audit = (await api(staff, 'GET', '/v1/admin/audit?kind=admin.mail_retried')).json().items;
    expect(audit[0]).toMatchObject({ actor_id: staff.id, detail: { mail: failed } });
  });

  it('counts users, sessions and activity per day', async () => {
    const o = (await api(staff, 'GET', '/v1/admin/overview?days=3')).json();
    const total = Number((await app.core.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(o.users.total).toBe(total);
    expect(o.users.staff).toBe(2);
    expect(o.signups_per_day).toHaveLength(3);
    expect(o.signups_per_day[2]).toEqual({ day: new Date(app.clock.now()).toISOString().slice(0, 10), count: total });
    expect(o.logins_per_day[2].count).toBeGreaterThan(0);
    expect(o.failed_logins_24h).toBeGreaterThan(0);
    expect(o.mail).toMatchObject({ failed: expect.any(Number), pending: expect.any(Number) });
  });
});
