import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { person, type Person } from './support.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('admin API bad input on %s', (backend) => {
  let app: TestApp;
  let su: Person;
  let target: Person;

  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.request({ method, url, payload, headers, token: su.token });
  const userCount = async () => Number((await app.core.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    su = await person(app, 'superuser');
    target = await person(app, 'user');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers malformed bodies with a 4xx and writes nothing', async () => {
    const before = await userCount();
    const json = { 'content-type': 'application/json' };
    const cases: [string, unknown, Record<string, string>, number][] = [
      ['malformed JSON', '{"username": "x", ', json, 400],
      ['a JSON array', '[1,2,3]', json, 400],
      ['a JSON string', '"hello"', json, 400],
      ['wrong field types', { username: 42, password: ['x'], is_staff: 'yes' }, {}, 400],
      ['missing password', { username: 'nopass' }, {}, 400],
      ['NUL in a field', { username: 'nul\u0000byte', password: testPassword }, {}, 400],
      ['control characters in a name', { username: 'ok_name', first_name: 'bell\u0007', password: testPassword }, {}, 400],
      ['an over-long field', { username: 'u'.repeat(151), password: testPassword }, {}, 400],
      ['plain text', 'username=x', { 'content-type': 'text/plain' }, 415],
      ['XML', '<user/>', { 'content-type': 'application/xml' }, 415],
      ['a 1 MB+ body', JSON.stringify({ username: 'big', password: 'x'.repeat(1_100_000) }), json, 413],
    ];
    for (const [name, payload, headers, status] of cases) {
      const res = await send('POST', '/v1/admin/users', payload, headers);
      expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.headers['content-type'], name).toContain('application/problem+json');
    }
    expect(await userCount()).toBe(before);
  });

  it('ignores unknown fields, keeps odd but valid Unicode', async () => {
    const res = await send('PATCH', `/v1/admin/users/${target.id}`, { first_name: 'Zoë 🦊 ﷽', is_god: true, password_hash: 'x' });
    expect(res.statusCode).toBe(200);
    expect(res.json().first_name).toBe('Zoë 🦊 ﷽');
    expect(res.json()).not.toHaveProperty('is_god');
  });

  it('rejects bad ids, queries and cursors with field messages', async () => {
    const cases: [string, number][] = [
      ['/v1/admin/users/abc', 400],
      ['/v1/admin/users/-1', 400],
      ['/v1/admin/users/0', 404],
      ['/v1/admin/users/99999999999', 404],
      ['/v1/admin/users/1234567890123456789', 400],
      ['/v1/admin/users?limit=abc', 400],
      ['/v1/admin/users?limit=99999', 400],
      ['/v1/admin/users?active=maybe', 400],
      ['/v1/admin/users?sort=password_hash', 400],
      ['/v1/admin/users?order=sideways', 400],
      ['/v1/admin/users?joined_from=yesterday', 400],
      ['/v1/admin/users?joined_to=2026-02-30', 400],
      ['/v1/admin/users?cursor=!!!', 400],
      ['/v1/admin/users?cursor=eyJzIjoiZGF0ZV9qb2luZWQ6ZGVzYyIsImsiOiJ4IiwiaSI6MX0', 400],
      [`/v1/admin/users?q=${'x'.repeat(201)}`, 400],
      ['/v1/admin/users?q=%00%27%22', 400],
      ['/v1/admin/users?q=%27%22%25_%5C', 200],
      ['/v1/admin/audit?user_id=abc', 400],
      ['/v1/admin/audit?kind=DROP%20TABLE', 400],
      ['/v1/admin/audit?from=2026-13-01', 400],
      ['/v1/admin/audit?cursor=eyJ9', 400],
      ['/v1/admin/audit/export?format=xlsx', 400],
      ['/v1/admin/mail?status=lost', 400],
      ['/v1/admin/mail/xyz', 400],
      ['/v1/admin/mail/424242', 404],
      ['/v1/admin/overview?days=-1', 400],
      [`/v1/admin/users/${'9'.repeat(16)}/sessions`, 400],
    ];
    for (const [url, status] of cases) {
      const res = await send('GET', url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(status);
    }
    const cursor = await send('GET', '/v1/admin/users?cursor=abc');
    expect(cursor.json().errors).toEqual({ cursor: ['Invalid cursor.'] });
    const longSession = await send('DELETE', `/v1/admin/users/${target.id}/sessions/${'s'.repeat(65)}`);
    expect(longSession.statusCode).toBe(400);
    expect((await send('DELETE', `/v1/admin/users/${target.id}/sessions/nope`)).statusCode).toBe(404);
    expect((await send('DELETE', `/v1/admin/users/${target.id}/sessions/a%00b`)).statusCode).toBe(400);
  });

  it('rejects bad settings and bulk bodies', async () => {
    const cases: [string, string, unknown, number][] = [
      ['PATCH', '/v1/admin/settings', [1, 2], 400],
      ['PATCH', '/v1/admin/settings', { otp_length: null }, 400],
      ['PATCH', '/v1/admin/settings', { otp_length: 6.5 }, 400],
      ['PATCH', '/v1/admin/settings', { otp_length: '6' }, 400],
      ['PATCH', '/v1/admin/settings', { otp_length: { $gt: 1 } }, 400],
      ['PATCH', '/v1/admin/settings', { activation_mode: 'x'.repeat(5000) }, 400],
      ['PATCH', '/v1/admin/settings', { __proto__: { otp_length: 4 }, constructor: 1 }, 200],
      ['POST', '/v1/admin/users/bulk', { action: 'activate', ids: [] }, 400],
      ['POST', '/v1/admin/users/bulk', { action: 'explode', ids: [1] }, 400],
      ['POST', '/v1/admin/users/bulk', { action: 'activate', ids: ['1'] }, 400],
      ['POST', '/v1/admin/users/bulk', { action: 'activate', ids: Array.from({ length: 201 }, (_, i) => i + 1) }, 400],
      ['POST', '/v1/admin/users/bulk', { ids: [1] }, 400],
      ['PUT', `/v1/admin/users/${'1'}/password`, {}, 400],
      ['PUT', `/v1/admin/users/${'1'}/password`, { password: 12345678 }, 400],
    ];
    const before = app.core.settings.all();
    for (const [method, url, payload, status] of cases) {
      const res = await send(method as 'PATCH', url, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}: ${res.body.slice(0, 200)}`).toBe(status);
    }
    expect(app.core.settings.all()).toEqual(before);
  });

  it('refuses bad, expired and non-staff credentials', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ authorization: 'Bearer not.a.jwt' }, 401],
      [{ authorization: 'Bearer ' + 'x'.repeat(5000) }, 401],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 401],
      [{ authorization: `Bearer ${target.token}` }, 403],
      [{ cookie: 'gatehouse_console=forged-session-token-value' }, 401],
    ];
    for (const [headers, status] of cases) {
      const res = await app.request({ method: 'GET', url: '/v1/admin/users', headers });
      expect(res.statusCode, JSON.stringify(headers).slice(0, 60)).toBe(status);
    }
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    const expired = await app.request({ method: 'GET', url: '/v1/admin/users', token: su.token });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('token_expired');
  });
});
