import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, formHeaders, person, type Person } from '../admin/support.js';
import { postWebhook } from '../../src/jobs/webhook-send.js';
import { Receiver } from './receiver.js';

describe.each(backends)('webhooks admin API and SSRF refusal on %s', (backend) => {
  let app: TestApp;
  let admin: Person;
  let staff: Person;
  const count = async () => (await app.store.db.selectFrom('webhook_endpoints').select('id').execute()).length;
  const create = (payload: unknown, headers: Record<string, string> = {}) => app.request({ method: 'POST', url: '/v1/admin/webhooks', token: admin.token, payload, headers });

  beforeAll(async () => {
    // No GATEHOUSE_WEBHOOK_ALLOW_PRIVATE: the default refuses private addresses.
    app = await testApp(backend);
    await relaxRateLimits(app);
    admin = await person(app, 'superuser');
    staff = await person(app, 'staff');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('SSRF: loopback, private, link-local, metadata and look-alike hosts are refused; nothing is written', async () => {
    for (const url of [
      'http://127.0.0.1/hook', 'http://localhost:8000/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/', 'http://192.168.0.10/',
      'http://172.16.5.4/', 'http://0x7f000001/', 'http://2130706433/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://0.0.0.0/', 'http://100.64.0.1/',
      'http://metadata.google.internal/', 'http://intranet/', 'ftp://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'http://user:pass@example.com/', 'not a url',
    ]) {
      const res = await create({ url, events: ['*'] });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors?.url, url).toBeDefined();
    }
    expect(await count()).toBe(0);
    expect((await create({ url: 'https://hooks.example.com/gatehouse', events: ['user.created'] })).statusCode).toBe(201);
  });

  it('SSRF at send time: a name that resolves to loopback is refused when connecting, and the receiver sees nothing', async () => {
    const receiver = await new Receiver().start();
    try {
      const port = new URL(receiver.url).port;
      await expect(postWebhook(`http://localhost:${port}/hooks`, {}, '{}', { timeoutMs: 2000, allowPrivate: false })).rejects.toMatchObject({ code: 'EWEBHOOKPRIVATE' });
      await expect(postWebhook(`http://127.0.0.1:${port}/hooks`, {}, '{}', { timeoutMs: 2000, allowPrivate: false })).rejects.toMatchObject({ code: 'EWEBHOOKPRIVATE' });
      expect(receiver.received).toHaveLength(0);
      // Allowed explicitly, the same request goes through.
      expect((await postWebhook(`http://localhost:${port}/hooks`, {}, '{"type":"x","data":{}}', { timeoutMs: 2000, allowPrivate: true })).status).toBe(204);
    } finally {
      await receiver.close();
    }
  });

  it('bad input is a clear 400 (or 415) and writes nothing', async () => {
    const before = await count();
    const cases: [unknown, number, Record<string, string>?][] = [
      [{ events: ['*'] }, 400],
      [{ url: 'https://a.example.com/' }, 400],
      [{ url: 'https://a.example.com/', events: 'user.created' }, 400],
      [{ url: 'https://a.example.com/', events: [] }, 400],
      [{ url: 'https://a.example.com/', events: ['user.exploded'] }, 400],
      [{ url: 'https://a.example.com/', events: ['*', 'user.created'] }, 400],
      [{ url: 'https://a.example.com/', events: [1] }, 400],
      [{ url: 'https://a.example.com/', events: ['*'], enabled: 'yes' }, 400],
      [{ url: 42, events: ['*'] }, 400],
      [{ url: `https://a.example.com/${'x'.repeat(2100)}`, events: ['*'] }, 400],
      [{ url: 'https://a.example.com/', events: ['*'], description: 'bell\u0007' }, 400],
      [{ url: 'https://a.example.com/', events: ['*'], description: 'lone \ud800 surrogate' }, 400],
      ['{"url":', 400, { 'content-type': 'application/json' }],
      ['url=https://a.example.com/', 415, { 'content-type': 'text/plain' }],
    ];
    for (const [payload, status, headers] of cases) {
      const res = await create(payload, headers);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await count()).toBe(before);
    // An unknown field is dropped, as everywhere in the API.
    const ok = await create({ url: 'https://b.example.com/h', events: ['user.deleted', 'user.created'], secret: 'whsec_mine', id: 'wh_chosen' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().endpoint.id).not.toBe('wh_chosen');
    expect(ok.json().secret).toMatch(/^whsec_/);
    expect(ok.json().secret).not.toBe('whsec_mine');
    expect(ok.json().endpoint.events).toEqual(['user.created', 'user.deleted']);
    const id = ok.json().endpoint.id as string;
    expect((await app.request({ method: 'PATCH', url: `/v1/admin/webhooks/${id}`, token: admin.token, payload: { url: 'http://127.0.0.1/' } })).statusCode).toBe(400);
    expect((await app.request({ method: 'GET', url: `/v1/admin/webhooks/${id}`, token: admin.token })).json().url).toBe('https://b.example.com/h');
    expect((await app.request({ method: 'GET', url: '/v1/admin/webhooks/wh_nope', token: admin.token })).statusCode).toBe(404);
    expect((await app.request({ method: 'GET', url: '/v1/admin/webhooks/..%2f..', token: admin.token })).statusCode).toBe(400);
    expect((await app.request({ method: 'GET', url: `/v1/admin/webhooks/${id}/deliveries?status=lost`, token: admin.token })).statusCode).toBe(400);
    expect((await app.request({ method: 'POST', url: '/v1/admin/webhook-deliveries/abc/retry', token: admin.token })).statusCode).toBe(400);
    expect((await app.request({ method: 'POST', url: '/v1/admin/webhook-deliveries/999999/retry', token: admin.token })).statusCode).toBe(404);
  });

  it('only superusers manage webhooks; every change is audited', async () => {
    const created = await create({ url: 'https://c.example.com/h', events: ['*'] });
    const id = created.json().endpoint.id as string;
    for (const [method, url, payload] of [
      ['GET', '/v1/admin/webhooks', undefined], ['POST', '/v1/admin/webhooks', { url: 'https://d.example.com/', events: ['*'] }], ['GET', `/v1/admin/webhooks/${id}`, undefined],
      ['PATCH', `/v1/admin/webhooks/${id}`, { enabled: false }], ['DELETE', `/v1/admin/webhooks/${id}`, undefined], ['POST', `/v1/admin/webhooks/${id}/rotate-secret`, undefined],
      ['GET', `/v1/admin/webhooks/${id}/deliveries`, undefined], ['GET', '/v1/admin/webhook-deliveries', undefined], ['POST', '/v1/admin/webhook-deliveries/1/retry', undefined],
    ] as const) {
      expect((await app.request({ method, url, payload, token: staff.token })).statusCode, `${method} ${url} as staff`).toBe(403);
      expect((await app.request({ method, url, payload })).statusCode, `${method} ${url} anonymous`).toBe(401);
      expect((await app.request({ method, url, payload, token: 'not.a.token' })).statusCode, `${method} ${url} bad token`).toBe(401);
    }
    expect((await app.request({ method: 'PATCH', url: `/v1/admin/webhooks/${id}`, token: admin.token, payload: { enabled: false, description: 'CRM' } })).json()).toMatchObject({ enabled: false, description: 'CRM' });
    expect((await app.request({ method: 'POST', url: `/v1/admin/webhooks/${id}/rotate-secret`, token: admin.token })).statusCode).toBe(200);
    expect((await app.request({ method: 'DELETE', url: `/v1/admin/webhooks/${id}`, token: admin.token })).statusCode).toBe(204);
    expect((await app.request({ method: 'DELETE', url: `/v1/admin/webhooks/${id}`, token: admin.token })).statusCode).toBe(404);
    const kinds = (await app.store.db.selectFrom('audit_events').select(['kind', 'detail']).where('kind', 'like', 'admin.webhook_%').execute())
      .filter((r) => r.detail.includes(id)).map((r) => r.kind);
    expect(kinds).toEqual(['admin.webhook_created', 'admin.webhook_updated', 'admin.webhook_secret_rotated', 'admin.webhook_deleted']);
  });

  it('the console page adds an endpoint (secret shown once), lists dead letters, and refuses staff', async () => {
    const su = await consoleLogin(app, admin.username);
    const page = await app.request({ method: 'GET', url: '/admin/webhooks', headers: { cookie: su.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Dead letters');
    const added = await app.http.inject({ method: 'POST', url: '/admin/webhooks', headers: { ...formHeaders(su.cookie), origin: app.config.publicUrl }, payload: form({ _csrf: su.csrf, url: 'https://console.example.com/h', events: ['user.created', 'mfa.changed'] }) });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(201);
    expect(added.body).toMatch(/whsec_[A-Za-z0-9+/=]+/);
    const again = await app.request({ method: 'GET', url: '/admin/webhooks', headers: { cookie: su.cookie } });
    expect(again.body).toContain('https://console.example.com/h');
    expect(again.body).not.toMatch(/whsec_/);
    const refused = await app.http.inject({ method: 'POST', url: '/admin/webhooks', headers: { ...formHeaders(su.cookie), origin: app.config.publicUrl }, payload: form({ _csrf: su.csrf, url: 'http://10.0.0.1/', events: 'user.created' }) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('private');
    const st = await consoleLogin(app, staff.username);
    expect((await app.request({ method: 'GET', url: '/admin/webhooks', headers: { cookie: st.cookie } })).statusCode).toBe(403);
  });
});
