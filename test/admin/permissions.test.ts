import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessions } from '../../src/core/sessions.js';
import { createServiceKey } from '../../src/core/service-keys.js';
import { createWebhookEndpoint } from '../../src/core/webhooks/endpoints.js';
import { createOidcClient } from '../../src/core/oidc-clients.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { person, plainUser, type Person } from './support.js';
import { testPassword } from '../support/passwords.js';

type Role = 'anonymous' | 'user' | 'staff' | 'superuser';
type Call = { url: string; payload?: unknown };

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the OpenAPI document writes it. */
  path: string;
  level: 'staff' | 'superuser';
  /** Status an allowed caller gets. */
  ok: number;
  /** Builds a fresh request (a fresh target when the route changes one). */
  call: () => Promise<Call>;
}

describe.each(backends)('admin API permission matrix on %s', (backend) => {
  let app: TestApp;
  const people = {} as Record<Exclude<Role, 'anonymous'>, Person>;

    // Denied callers never reach the target, so they get a placeholder id instead of a fresh account.
  let real = true;
  const target = async () => (real ? plainUser(app) : 1);
  const hookUrl = 'https://93.184.216.34/hooks/gatehouse';
  const hook = async () => (real ? (await createWebhookEndpoint(app.core, { url: hookUrl, events: ['*'] })).endpoint.id : 'wh_placeholder');
  const failedMail = async () => {
    const now = app.clock.now();
    const row = await app.core.db
      .insertInto('outbox')
      .values({ kind: 'password_reset', to_addr: 'x@example.com', subject: 's', text_body: 't', html_body: 'h', status: 'failed', attempts: 5, next_attempt_at: now, created_at: now, last_error: 'smtp down' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  };

  const routes: RouteCase[] = [
    { method: 'GET', path: '/v1/admin/users', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/users?q=user&active=true&sort=username&order=asc&limit=5' }) },
    { method: 'GET', path: '/v1/admin/users/export', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/users/export?format=json&active=true' }) },
    { method: 'GET', path: '/v1/admin/system', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/system' }) },
    { method: 'POST', path: '/v1/admin/users', level: 'staff', ok: 201, call: async () => ({ url: '/v1/admin/users', payload: { username: `made${Math.random().toString(36).slice(2, 10)}`, password: testPassword } }) },
    { method: 'POST', path: '/v1/admin/users/invite', level: 'staff', ok: 201, call: async () => ({ url: '/v1/admin/users/invite', payload: { email: `matrix${Math.random().toString(36).slice(2, 10)}@example.com` } }) },
    { method: 'POST', path: '/v1/admin/users/bulk', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/users/bulk', payload: { action: 'activate', ids: [await target()] } }) },
    { method: 'GET', path: '/v1/admin/users/{id}', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}` }) },
    { method: 'PATCH', path: '/v1/admin/users/{id}', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}`, payload: { first_name: 'Changed' } }) },
    { method: 'DELETE', path: '/v1/admin/users/{id}', level: 'staff', ok: 204, call: async () => ({ url: `/v1/admin/users/${await target()}` }) },
    { method: 'POST', path: '/v1/admin/users/{id}/activate', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/activate` }) },
    { method: 'POST', path: '/v1/admin/users/{id}/deactivate', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/deactivate` }) },
    { method: 'POST', path: '/v1/admin/users/{id}/verify-email', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/verify-email` }) },
    { method: 'POST', path: '/v1/admin/users/{id}/unlock', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/unlock` }) },
    { method: 'PUT', path: '/v1/admin/users/{id}/password', level: 'staff', ok: 204, call: async () => ({ url: `/v1/admin/users/${await target()}/password`, payload: { password: 'another sturdy phrase 77' } }) },
    { method: 'POST', path: '/v1/admin/users/{id}/password-reset', level: 'staff', ok: 202, call: async () => ({ url: `/v1/admin/users/${await target()}/password-reset` }) },
    { method: 'GET', path: '/v1/admin/users/{id}/sessions', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/sessions` }) },
    { method: 'GET', path: '/v1/admin/users/{id}/mfa', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/mfa` }) },
    { method: 'POST', path: '/v1/admin/users/{id}/mfa/reset', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/mfa/reset` }) },
    { method: 'DELETE', path: '/v1/admin/users/{id}/sessions', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/users/${await target()}/sessions` }) },
    {
      method: 'DELETE', path: '/v1/admin/users/{id}/sessions/{sessionId}', level: 'staff', ok: 204,
      call: async () => {
        const id = await target();
        const [session] = real ? await listSessions(app.core, id) : [{ id: 'placeholder' }];
        return { url: `/v1/admin/users/${id}/sessions/${session!.id}` };
      },
    },
    { method: 'GET', path: '/v1/admin/overview', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/overview?days=7' }) },
    { method: 'GET', path: '/v1/admin/settings', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/settings' }) },
    { method: 'PATCH', path: '/v1/admin/settings', level: 'superuser', ok: 200, call: async () => ({ url: '/v1/admin/settings', payload: { otp_length: 6 + Math.floor(Math.random() * 3) } }) },
    { method: 'GET', path: '/v1/admin/audit', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/audit?kind=admin.&limit=10' }) },
    { method: 'GET', path: '/v1/admin/audit/export', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/audit/export?format=json&kind=login.' }) },
    { method: 'GET', path: '/v1/admin/mail', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/mail?status=failed' }) },
    { method: 'GET', path: '/v1/admin/mail/{id}', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/mail/${await failedMail()}` }) },
    { method: 'POST', path: '/v1/admin/mail/{id}/retry', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/mail/${await failedMail()}/retry` }) },
    { method: 'GET', path: '/v1/admin/service-keys', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/service-keys' }) },
    { method: 'POST', path: '/v1/admin/service-keys', level: 'superuser', ok: 201, call: async () => ({ url: '/v1/admin/service-keys', payload: { name: 'matrix' } }) },
    { method: 'DELETE', path: '/v1/admin/service-keys/{id}', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/service-keys/${real ? (await createServiceKey(app.core, { name: 'matrix' })).serviceKey.id : 'placeholder'}` }) },
    { method: 'GET', path: '/v1/admin/webhooks', level: 'superuser', ok: 200, call: async () => ({ url: '/v1/admin/webhooks' }) },
    { method: 'POST', path: '/v1/admin/webhooks', level: 'superuser', ok: 201, call: async () => ({ url: '/v1/admin/webhooks', payload: { url: hookUrl, events: ['*'] } }) },
    { method: 'GET', path: '/v1/admin/webhooks/{id}', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/webhooks/${await hook()}` }) },
    { method: 'PATCH', path: '/v1/admin/webhooks/{id}', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/webhooks/${await hook()}`, payload: { enabled: false } }) },
    { method: 'DELETE', path: '/v1/admin/webhooks/{id}', level: 'superuser', ok: 204, call: async () => ({ url: `/v1/admin/webhooks/${await hook()}` }) },
    { method: 'POST', path: '/v1/admin/webhooks/{id}/rotate-secret', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/webhooks/${await hook()}/rotate-secret` }) },
    { method: 'GET', path: '/v1/admin/webhooks/{id}/deliveries', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/webhooks/${await hook()}/deliveries` }) },
    { method: 'GET', path: '/v1/admin/webhook-deliveries', level: 'superuser', ok: 200, call: async () => ({ url: '/v1/admin/webhook-deliveries?status=failed' }) },
    // No dead letter exists: the superuser reaches the handler, which answers that this one is not found.
    { method: 'POST', path: '/v1/admin/webhook-deliveries/{id}/retry', level: 'superuser', ok: 404, call: async () => ({ url: '/v1/admin/webhook-deliveries/999999999/retry' }) },
    { method: 'GET', path: '/v1/admin/oidc/clients', level: 'staff', ok: 200, call: async () => ({ url: '/v1/admin/oidc/clients' }) },
    { method: 'GET', path: '/v1/admin/oidc/clients/{id}', level: 'staff', ok: 200, call: async () => ({ url: `/v1/admin/oidc/clients/${(await createOidcClient(app.core, { name: 'matrix', grant_types: ['client_credentials'] })).client.client_id}` }) },
    { method: 'POST', path: '/v1/admin/oidc/clients', level: 'superuser', ok: 201, call: async () => ({ url: '/v1/admin/oidc/clients', payload: { name: 'matrix', grant_types: ['client_credentials'] } }) },
    { method: 'DELETE', path: '/v1/admin/oidc/clients/{id}', level: 'superuser', ok: 200, call: async () => ({ url: `/v1/admin/oidc/clients/${real ? (await createOidcClient(app.core, { name: 'matrix', grant_types: ['client_credentials'] })).client.client_id : 'gc_placeholder'}` }) },
  ];

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
    people.user = await person(app, 'user');
    people.staff = await person(app, 'staff');
    people.superuser = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('covers every admin route in the OpenAPI document', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    const documented = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/v1/admin'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  for (const role of ['anonymous', 'user', 'staff', 'superuser'] as Role[]) {
    it(`answers ${role} as the matrix says, on every route`, async () => {
      const outcomes: string[] = [];
      for (const route of routes) {
        real = role === 'superuser' || (role === 'staff' && route.level === 'staff');
        const { url, payload } = await route.call();
        const res = await app.request({ method: route.method, url, payload, token: role === 'anonymous' ? undefined : people[role].token });
        const allowed = role === 'superuser' || (role === 'staff' && route.level === 'staff');
        const want = role === 'anonymous' ? 401 : allowed ? route.ok : 403;
        if (res.statusCode !== want) outcomes.push(`${route.method} ${route.path}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 200)}`);
        if (want === 401 || want === 403) expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect(outcomes).toEqual([]);
    });
  }
});
