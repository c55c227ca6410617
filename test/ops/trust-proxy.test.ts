import { afterEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

/** The client address the server records for a login: what rate limits and audit rows key on. */
async function recordedIp(app: TestApp, remoteAddress: string, forwardedFor?: string): Promise<string> {
  const user = await app.signUp();
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.user.username, password: testPassword }, headers, remoteAddress });
  expect(login.statusCode).toBe(200);
  const sessions = await app.request({ method: 'GET', url: '/v1/me/sessions', token: login.json().access_token });
  // The harness signs users up from 10.9.x.x; the other session is the login's.
  const ips = (sessions.json() as { ip: string }[]).map((s) => s.ip).filter((ip) => !ip.startsWith('10.9.'));
  expect(ips).toHaveLength(1);
  return ips[0]!;
}

describe('client address behind proxies (GATEHOUSE_TRUST_PROXY)', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('ignores X-Forwarded-For when no proxy is trusted (the default)', async () => {
    app = await testApp('sqlite');
    expect(await recordedIp(app, '203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
  });

  it('believes X-Forwarded-For only from a listed proxy, and only its nearest untrusted hop', async () => {
    app = await testApp('sqlite', { GATEHOUSE_TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' });
    expect(await recordedIp(app, '10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // A client cannot choose its address by prepending one: the hop the proxy saw wins.
    expect(await recordedIp(app, '10.0.0.1', '6.6.6.6, 198.51.100.2')).toBe('198.51.100.2');
    // Through two trusted proxies.
    expect(await recordedIp(app, '10.0.0.1', '198.51.100.3, 10.0.1.20')).toBe('198.51.100.3');
    // From anywhere else the header is ignored.
    expect(await recordedIp(app, '203.0.113.9', '198.51.100.4')).toBe('203.0.113.9');
  });

  it('trusts a number of hops when given a count', async () => {
    app = await testApp('sqlite', { GATEHOUSE_TRUST_PROXY: '1' });
    expect(await recordedIp(app, '10.8.8.8', '6.6.6.6, 198.51.100.5')).toBe('198.51.100.5');
  });
});
