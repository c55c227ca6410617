import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/logger.js';
import { testApp, type TestApp } from '../support/app.js';

describe('structured logs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp('sqlite');
  });
  afterAll(async () => {
    await app?.close();
  });

  const lines = () => app.logs.map((l) => JSON.parse(l) as Record<string, any>);

  it('keeps a well-formed incoming X-Request-Id, echoes it and logs every line of the request with it', async () => {
    const res = await app.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-7f3a:42' } });
    expect(res.headers['x-request-id']).toBe('lb-7f3a:42');
    const mine = lines().filter((l) => l.reqId === 'lb-7f3a:42');
    expect(mine.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(mine[1]!.res.statusCode).toBe(200);
    expect(typeof mine[1]!.responseTime).toBe('number');
  });

  it('replaces a missing, oversized or odd X-Request-Id with a UUID', async () => {
    for (const header of [undefined, 'x'.repeat(129), 'has spaces', 'new\nline', '<script>']) {
      const res = await app.request({ method: 'GET', url: '/healthz', headers: header === undefined ? {} : { 'x-request-id': header } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('writes one JSON object per line with level, time, pid and message', async () => {
    for (const line of lines()) {
      expect(typeof line.level).toBe('number');
      expect(typeof line.time).toBe('string');
      expect(line.pid).toBe(process.pid);
      expect(typeof line.msg).toBe('string');
    }
  });

  it('never logs passwords, tokens, Authorization or cookies, whatever the request carries', async () => {
    const password = 'Sup3r-secret passphrase!';
    const user = await app.signUp({ password });
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.user.username, password } });
    const tokens = login.json();
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.user.username, password: 'wrong-but-secret-9' } });
    await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: tokens.refresh_token } });
    await app.request({ method: 'GET', url: '/v1/me', token: tokens.access_token, headers: { cookie: 'gatehouse_console=cookie-secret-1' } });
    await app.request({ method: 'GET', url: '/v1/me?token=query-secret-2&page=3' });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: '{"login": "x", "password": "broken-json-secret', headers: { 'content-type': 'application/json' } });
    const all = app.logs.join('\n');
    for (const secret of [password, 'wrong-but-secret-9', tokens.refresh_token, tokens.access_token, 'cookie-secret-1', 'query-secret-2', 'broken-json-secret']) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('/v1/me?token=[redacted]&page=3');
  });
});

describe('redactUrl', () => {
  it('hides credential-looking query values and keeps the rest', () => {
    expect(redactUrl('/verify-email?token=abc&next=/home')).toBe('/verify-email?token=[redacted]&next=/home');
    expect(redactUrl('/x?Code=1&uid=2&refresh_token=3&otp=4&a=5')).toBe('/x?Code=[redacted]&uid=[redacted]&refresh_token=[redacted]&otp=[redacted]&a=5');
    expect(redactUrl('/x?%74oken=abc')).toBe('/x?%74oken=[redacted]');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
    expect(redactUrl('/x?flag&%E0%A4%A=1')).toBe('/x?flag&%E0%A4%A=1');
  });
});
