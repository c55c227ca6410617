import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ipRateKey } from '../../src/core/rate-limit.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';

const production = { GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test', GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'k'.repeat(40), GATEHOUSE_PUBLIC_URL: 'https://auth.example.com', GATEHOUSE_METRICS_TOKEN: 'm'.repeat(32), GATEHOUSE_MAIL: 'file' };

describe('address attacks: config', () => {
  it('attack: a direct client forges X-Forwarded-For with a proxy count', () => {
    let error: unknown;
    try {
      loadConfig({ ...production, GATEHOUSE_TRUST_PROXY: '1' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('GATEHOUSE_TRUST_PROXY');
    expect((error as ConfigError).message).toMatch(/addresses\/CIDRs/);
    // Addresses and CIDRs stay accepted in production.
    expect(loadConfig({ ...production, GATEHOUSE_TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' }).trustProxy).toBe('10.0.0.1, 10.0.1.0/24');
  });

  it('validates GATEHOUSE_IPV6_PREFIX (32–128, default 64)', () => {
    expect(loadConfig({ GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test' }).ipv6Prefix).toBe(64);
    expect(loadConfig({ GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test', GATEHOUSE_IPV6_PREFIX: '48' }).ipv6Prefix).toBe(48);
    expect(() => loadConfig({ GATEHOUSE_DATA_DIR: '/tmp/gatehouse-config-test', GATEHOUSE_IPV6_PREFIX: '16' })).toThrow(/GATEHOUSE_IPV6_PREFIX/);
  });

  it('normalises per-IP keys in one function', () => {
    expect(ipRateKey('2001:db8:1:2::1')).toBe(ipRateKey('2001:DB8:1:2:ffff:1:2:3'));
    expect(ipRateKey('2001:db8:1:2::1')).not.toBe(ipRateKey('2001:db8:1:3::1'));
    expect(ipRateKey('2001:db8:1:2::1', 128)).not.toBe(ipRateKey('2001:db8:1:2::2', 128));
    expect(ipRateKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipRateKey('203.0.113.9')).not.toBe(ipRateKey('203.0.113.10'));
  });
});

describe.each(backends)('address attacks over HTTP (%s)', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app.close();
  });

  const attempt = (remoteAddress: string, n: number) =>
    app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: `nobody-${remoteAddress}-${n}`, password: 'wrong password 1' }, remoteAddress });

  it('attack: an IPv6 /64 multiplies the per-IP budget', async () => {
    await app.core.settings.update({ rate_login_ip: 3, rate_login_account: 1000, rate_window: 300 }, null);
    const codes: number[] = [];
    for (let i = 1; i <= 4; i++) codes.push((await attempt(`2001:db8:aa:1::${i.toString(16)}`, i)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    // Another /64 has its own budget.
    expect((await attempt('2001:db8:aa:2::1', 1)).statusCode).toBe(401);
    // IPv4 stays per address; its IPv4-mapped spelling is the same client.
    for (let i = 1; i <= 4; i++) expect((await attempt(`198.51.100.${i}`, i)).statusCode).toBe(401);
    for (let i = 1; i <= 2; i++) expect((await attempt('198.51.100.50', i)).statusCode).toBe(401);
    expect((await attempt('::ffff:198.51.100.50', 3)).statusCode).toBe(401);
    expect((await attempt('::ffff:198.51.100.50', 4)).statusCode).toBe(429);
  });
});
