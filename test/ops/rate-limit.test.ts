import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../src/cache/redis.js';
import { enforceRateLimit, rateLimitSetting, resetRateLimit, type RateBucket } from '../../src/core/rate-limit.js';
import { loginBudgetKey } from '../../src/core/login.js';
import { settingDefs } from '../../src/core/settings.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { capturingLogger, describeWithRedis, dropPrefix, freePort, redisUrl, uniquePrefix } from '../cache/support.js';
import { testPassword } from '../support/passwords.js';

const login = (app: TestApp, who: string, ip: string) =>
  app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password: 'not the password' }, remoteAddress: ip });

describe.each(backends)('rate limits on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(async () => {
    // Each test starts with fresh windows and default limits.
    app.clock.advance(settingDefs.rate_window.max + 1);
    await app.core.settings.update({ rate_login_ip: 30, rate_login_account: 10, rate_window: 60 }, null);
  });

  it('refuses past the per-account budget with 429, Retry-After and a clear message, whatever the IP', async () => {
    for (let i = 0; i < 10; i++) expect((await login(app, 'victim@example.com', `10.1.0.${i}`)).statusCode).toBe(401);
    const refused = await login(app, 'Victim@Example.com', '10.1.0.200');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(refused.json().detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account from a fresh address is not affected.
    expect((await login(app, 'someone-else@example.com', '10.1.0.201')).statusCode).toBe(401);
    // The window ends when Retry-After says.
    app.clock.advance(retryAfter);
    expect((await login(app, 'victim@example.com', '10.1.0.202')).statusCode).toBe(401);
  });

  it('refuses sign-ups naming one address past its budget, from any IP, before telling taken from free', async () => {
    const register = (i: number) =>
      app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: `twin${i}`, email: 'Twin@Example.com', password: testPassword }, remoteAddress: `10.2.0.${i}` });
    expect((await register(0)).statusCode).toBe(201);
    for (let i = 1; i < 5; i++) expect((await register(i)).json().errors.email).toEqual(['user with this email already exists.']);
    const refused = await register(5);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses past the per-IP budget across accounts', async () => {
    for (let i = 0; i < 30; i++) expect((await login(app, `spray${i}@example.com`, '10.2.0.1')).statusCode).toBe(401);
    expect((await login(app, 'spray-last@example.com', '10.2.0.1')).statusCode).toBe(429);
    expect((await login(app, 'spray-last@example.com', '10.2.0.2')).statusCode).toBe(401);
  });

  it('takes new limits from the runtime settings at once', async () => {
    await app.core.settings.update({ rate_login_account: 2, rate_window: 300 }, null);
    expect((await login(app, 'tuned@example.com', '10.3.0.1')).statusCode).toBe(401);
    expect((await login(app, 'tuned@example.com', '10.3.0.2')).statusCode).toBe(401);
    const refused = await login(app, 'tuned@example.com', '10.3.0.3');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('gives every bucket a runtime setting with a sensible default', () => {
    for (const [bucket, key] of Object.entries(rateLimitSetting)) {
      const def = settingDefs[key];
      expect(def.type, bucket).toBe('int');
      expect(def.group, bucket).toBe('Rate limits');
      const initial = (def.initial as () => number)();
      expect(initial, bucket).toBeGreaterThanOrEqual(3);
      expect(initial, bucket).toBeLessThanOrEqual(30);
    }
  });

  it('lets an admin reset a counter', async () => {
    await app.core.settings.update({ rate_login_account: 1 }, null);
    expect((await login(app, 'reset-me@example.com', '10.4.0.1')).statusCode).toBe(401);
    expect((await login(app, 'reset-me@example.com', '10.4.0.2')).statusCode).toBe(429);
    await resetRateLimit(app.core, 'login_account', loginBudgetKey('reset-me@example.com'));
    expect((await login(app, 'reset-me@example.com', '10.4.0.3')).statusCode).toBe(401);
  });
});

describe('rate limits while the shared cache is down', () => {
  let app: TestApp;
  let cache: RedisCache;
  const { log } = capturingLogger();
  beforeAll(async () => {
    // A Redis nobody listens on: every hit() throws at once.
    cache = new RedisCache({ url: `redis://127.0.0.1:${await freePort()}`, log, maxReconnectDelayMs: 60_000 });
    app = await testApp('sqlite', {}, { cache });
  });
  afterAll(async () => {
    await app?.close();
    await cache?.close();
  });

  it('still enforces them, per instance, and says so once', async () => {
    const buckets: RateBucket[] = ['login_account', 'reset_account', 'otp_ip'];
    for (const bucket of buckets) {
      const limit = (settingDefs[rateLimitSetting[bucket]].initial as () => number)();
      for (let i = 0; i < limit; i++) await enforceRateLimit(app.core, bucket, 'outage@example.com');
      await expect(enforceRateLimit(app.core, bucket, 'outage@example.com')).rejects.toMatchObject({ code: 'rate_limited' });
    }
    const warnings = app.logs.filter((l) => l.includes('rate limits counted per instance'));
    expect(warnings).toHaveLength(1);
  });

  it('keeps login answering (no 5xx) with the fallback', async () => {
    const res = await login(app, 'fallback-user@example.com', '10.5.0.1');
    expect(res.statusCode).toBe(401);
  });
});

describeWithRedis('rate-limit keys in Redis', () => {
  const prefix = uniquePrefix();
  let app: TestApp;
  let cache: RedisCache;
  beforeAll(async () => {
    cache = new RedisCache({ url: redisUrl, prefix, log: capturingLogger().log });
    app = await testApp('sqlite', {}, { cache });
  });
  afterAll(async () => {
    await app?.close();
    await cache?.close();
    await dropPrefix(redisUrl, prefix);
  });

  it('are hashed: no login, email or address is stored, and each expires with its window', async () => {
    await login(app, 'Private.Person@example.com', '10.6.0.1');
    const raw = new Redis(redisUrl);
    try {
      const keys = await raw.keys(`${prefix}rl:*`);
      expect(keys.length).toBe(2);
      for (const key of keys) {
        expect(key).toMatch(/^ghtest:[0-9a-f]+:rl:login_(ip|account):[A-Za-z0-9_-]{22}$/);
        expect(key.toLowerCase()).not.toContain('private');
        expect(key).not.toContain('10.6.0.1');
        const ttl = await raw.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      raw.disconnect();
    }
  });
});
