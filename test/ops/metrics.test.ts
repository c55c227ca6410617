import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenMetrics } from '../../src/http/metrics.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

/** The value of one sample line (`name{labels} value`), or 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe.each(backends)('Prometheus /metrics on %s', (backend) => {
  let app: TestApp;
  const scrape = async () => {
    const res = await app.request({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('times requests per route pattern, not per URL', async () => {
    const user = await app.signUp();
    await app.request({ method: 'GET', url: '/v1/me', token: user.access_token });
    await app.request({ method: 'GET', url: '/no/such/page' });
    const text = await scrape();
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count{method="GET",route="/v1/me",status="200"}')).toBe(1);
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count{method="POST",route="/v1/auth/register",status="201"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).toContain('gatehouse_http_request_duration_seconds_bucket{le="0.005"');
  });

  it('counts logins by outcome and reason, token issuance and rate-limit hits', async () => {
    const before = await scrape();
    const user = await app.signUp();
    const ip = '10.77.0.1';
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.user.username, password: testPassword }, remoteAddress: ip });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.user.username, password: 'wrong password' }, remoteAddress: ip });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'nobody@example.com', password: 'wrong password' }, remoteAddress: ip });
    await app.core.settings.update({ rate_login_account: 1 }, null);
    try {
      await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'limited@example.com', password: 'x' }, remoteAddress: ip });
      const limited = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'limited@example.com', password: 'x' }, remoteAddress: ip });
      expect(limited.statusCode).toBe(429);
    } finally {
      await app.core.settings.update({ rate_login_account: 10 }, null);
    }
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('gatehouse_logins_total{surface="api",outcome="success",reason="ok"}')).toBe(1);
    expect(delta('gatehouse_logins_total{surface="api",outcome="failure",reason="wrong_password"}')).toBe(1);
    expect(delta('gatehouse_logins_total{surface="api",outcome="failure",reason="unknown_account"}')).toBe(2);
    // Sign-up and login each issue one access and one refresh token.
    expect(delta('gatehouse_tokens_issued_total{kind="access"}')).toBe(2);
    expect(delta('gatehouse_tokens_issued_total{kind="refresh"}')).toBe(2);
    expect(delta('gatehouse_rate_limited_total{bucket="login_account"}')).toBe(1);
  });

  it('reports the outbox by status, the event-loop delay, the revoked set and (PostgreSQL) the pool', async () => {
    const text = await scrape();
    for (const status of ['pending', 'retry', 'sent', 'failed']) expect(text).toContain(`gatehouse_outbox_mails{status="${status}"}`);
    expect(text).toMatch(/^gatehouse_outbox_oldest_due_seconds \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^gatehouse_revoked_sessions \d+/m);
    if (backend === 'postgres') {
      expect(sample(text, 'gatehouse_db_pool_connections{state="max"}')).toBeGreaterThan(0);
      expect(text).toContain('gatehouse_db_pool_connections{state="waiting"}');
    } else {
      expect(text).not.toContain('gatehouse_db_pool_connections');
    }
    expect(text).not.toContain('gatehouse_redis_up');
  });

  it('reports how long the oldest due mail has waited, not a retry still backing off', async () => {
    const now = app.clock.now();
    const mail = { kind: 'password_reset', to_addr: 'queued@example.com', subject: 's', text_body: 't', html_body: 'h', attempts: 0, created_at: now - 120_000 };
    await app.store.db.insertInto('outbox').values([
      { ...mail, status: 'pending', next_attempt_at: now - 90_000 },
      { ...mail, status: 'retry', next_attempt_at: now + 600_000 },
    ]).execute();
    expect(sample(await scrape(), 'gatehouse_outbox_oldest_due_seconds')).toBe(90);
    app.clock.advance(10);
    expect(sample(await scrape(), 'gatehouse_outbox_oldest_due_seconds')).toBe(100);
  });

  it('counts the outbox up to 10,000 per status, however much history there is', async () => {
    const now = app.clock.now();
    const row = { kind: 'password_reset', to_addr: 'old@example.com', subject: 's', text_body: '', html_body: '', attempts: 5, status: 'failed', next_attempt_at: now, created_at: now };
    for (let i = 0; i < 10_001; i += 500) await app.store.db.insertInto('outbox').values(Array.from({ length: Math.min(500, 10_001 - i) }, () => row)).execute();
    const text = await scrape();
    expect(sample(text, 'gatehouse_outbox_mails{status="failed"}')).toBe(10_000);
    expect(sample(text, 'gatehouse_outbox_mails{status="pending"}')).toBeLessThan(10_000);
  }, 30_000);

  it('never exposes a label a client controls beyond the route pattern', async () => {
    await app.request({ method: 'GET', url: `/v1/sessions/${'x'.repeat(50)}` });
    const text = await scrape();
    expect(text).not.toContain('x'.repeat(50));
  });
});

describe('metrics protection', () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('asks for GATEHOUSE_METRICS_TOKEN as a Bearer token when set', async () => {
    app = await testApp('sqlite', { GATEHOUSE_METRICS_TOKEN: 'metrics-secret-123' });
    expect((await app.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    const ok = await app.request({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-secret-123' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('gatehouse_http_request_duration_seconds');
    // Not an API route: absent from the OpenAPI document.
    const docs = await app.request({ method: 'GET', url: '/openapi.json' });
    expect(Object.keys(docs.json().paths)).not.toContain('/metrics');
  });

  it('moves to GATEHOUSE_METRICS_PORT when set, off the public port', async () => {
    const separate = await testApp('sqlite', { GATEHOUSE_METRICS_PORT: '9', GATEHOUSE_METRICS_TOKEN: 'tok-456' });
    try {
      expect((await separate.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const server = await listenMetrics('127.0.0.1', 0, separate.metrics.local, separate.config.metricsToken);
      try {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
        const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer tok-456' } });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('gatehouse_outbox_mails');
        expect((await fetch(`http://127.0.0.1:${port}/other`, { headers: { authorization: 'Bearer tok-456' } })).status).toBe(404);
      } finally {
        server.close();
      }
    } finally {
      await separate.close();
    }
  });
});
