import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { createApiToken } from '../../src/core/api-tokens.js';
import { ManualClock } from '../../src/core/clock.js';
import { refusedCount } from '../../src/core/counter-windows.js';
import { enforceRateLimit } from '../../src/core/rate-limit.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { insertUserRow } from '../native/support.js';
import { capturingLogger } from './support.js';

const meta = { ip: '127.0.0.1', userAgent: 'lru-test' };

describe('MemoryCache bounds', () => {
  const caches: MemoryCache[] = [];
  const make = (options: ConstructorParameters<typeof MemoryCache>[0]): MemoryCache => {
    const cache = new MemoryCache(options);
    caches.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });

  it("attack: a flood of distinct keys evicts a victim's rate-limit counter", async () => {
    const clock = new ManualClock();
    const cache = make({ clock, maxEntries: 100 });
    for (let i = 0; i < 5; i++) await cache.hit('rl:login_account:victim', 60);
    // Distinct counters and values, ten times the cap, all inside the victim's window.
    for (let i = 0; i < 1000; i++) {
      await cache.hit(`rl:login_account:flood-${i}`, 60);
      await cache.set(`value-${i}`, 'x', 60);
    }
    expect((await cache.hit('rl:login_account:victim', 60)).count).toBe(6);
  });

  it('answers a new counter as over any limit while every window is live, and stores it once one ends', async () => {
    const clock = new ManualClock();
    const { log, lines } = capturingLogger();
    const cache = make({ clock, maxEntries: 10, log });
    for (let i = 0; i < 10; i++) expect((await cache.hit(`k${i}`, 60)).count).toBe(1);
    expect(await cache.hit('late', 60)).toEqual({ count: refusedCount, resetSeconds: 60 });
    expect(await cache.hit('later', 60)).toEqual({ count: refusedCount, resetSeconds: 60 });
    expect(lines.filter((l) => l.level === 40 && l.msg.startsWith('rate-limit counters full'))).toHaveLength(1);
    expect(await cache.get('late')).toBeUndefined();
    expect(cache.size).toBe(10);
    clock.advance(60);
    expect((await cache.hit('late', 60)).count).toBe(1);
    expect((await cache.hit('late', 60)).count).toBe(2);
  });

  it('keeps values read recently when a flood of distinct values passes the cap, and expires them on the clock', async () => {
    const clock = new ManualClock();
    const cache = make({ clock, maxEntries: 10 });
    await cache.set('hot', 'h', 30);
    for (let i = 0; i < 100; i++) {
      await cache.set(`cold-${i}`, 'c', 30);
      expect(await cache.get('hot')).toBe('h');
    }
    expect(cache.size).toBe(10);
    expect(await cache.get('cold-0')).toBeUndefined();
    expect(await cache.get('cold-99')).toBe('c');
    clock.advance(29.999);
    expect(await cache.get('hot')).toBe('h');
    clock.advance(0.001);
    expect(await cache.get('hot')).toBeUndefined();
  });
});

describe.each(backends)('bounded caches (%s)', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_CACHE_MAX_ENTRIES: '10' });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => app.core.users.clear());

  const me = (token: string) => app.request({ method: 'GET', url: '/v1/me', token });
  const flood = async (n: number, prefix: string): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(await insertUserRow(app, { username: `${prefix}${i}`, email: `${prefix}${i}@example.com`, password_hash: '!' }));
    return ids;
  };

  it('keeps a hot user cached while a flood of distinct users passes the cap (no clear-all stampede)', async () => {
    const hot = await app.signUp();
    expect((await me(hot.access_token)).statusCode).toBe(200);
    const ids = await flood(40, 'flood_u');
    for (const [i, id] of ids.entries()) {
      await app.core.users.get(id);
      // The hot user keeps being used, so it stays among the most recently used.
      if (i % 3 === 0) expect((await me(hot.access_token)).statusCode).toBe(200);
    }
    app.queries.reset();
    expect((await me(hot.access_token)).statusCode).toBe(200);
    for (const id of ids.slice(-5)) await app.core.users.get(id);
    // The hot user and the newest entries answer from memory; the cold ones were dropped one by one.
    expect(app.queries.count).toBe(0);
    await app.core.users.get(ids[0]!);
    expect(app.queries.count).toBe(1);
  });

  it('re-reads a cached user once its TTL passes on the injected clock', async () => {
    const user = await app.signUp();
    expect((await me(user.access_token)).statusCode).toBe(200);
    app.queries.reset();
    app.clock.advance(29);
    expect((await me(user.access_token)).statusCode).toBe(200);
    expect(app.queries.count).toBe(0);
    app.clock.advance(2);
    expect((await me(user.access_token)).statusCode).toBe(200);
    expect(app.queries.count).toBeGreaterThan(0);
  });

  it('keeps a hot API token cached while a flood of distinct tokens passes the cap, and expires it on the clock', async () => {
    const user = await app.signUp();
    const hot = await createApiToken(app.core, user.user.id, { name: 'hot' }, meta);
    await app.core.apiTokens.resolve(hot.key);
    const keys: string[] = [];
    for (let i = 0; i < 30; i++) keys.push((await createApiToken(app.core, user.user.id, { name: `t${i}` }, meta)).key);
    for (const key of keys) {
      await app.core.apiTokens.resolve(key);
      await app.core.apiTokens.resolve(hot.key);
    }
    app.queries.reset();
    await app.core.apiTokens.resolve(hot.key);
    expect(app.queries.count).toBe(0);
    await app.core.apiTokens.resolve(keys[0]!);
    expect(app.queries.count).toBe(1);
    app.queries.reset();
    app.clock.advance(31);
    await app.core.apiTokens.resolve(hot.key);
    expect(app.queries.count).toBeGreaterThan(0);
  });

  it('drops a verified access token from memory when the token expires', async () => {
    const user = await app.signUp();
    expect((await me(user.access_token)).statusCode).toBe(200);
    app.clock.advance(app.config.accessTtlSeconds);
    const res = await me(user.access_token);
    expect(res.statusCode).toBe(401);
  });
});

describe.each(backends)('rate limits while the shared cache is down (%s)', (backend) => {
  class DownCache extends MemoryCache {
    override async hit(): Promise<{ count: number; resetSeconds: number }> {
      throw new Error('connection refused');
    }
  }
  let app: TestApp;
  const clock = new ManualClock(Date.now());
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_CACHE_MAX_ENTRIES: '10' }, { clock, cache: new DownCache({ clock }) });
  });
  afterAll(async () => {
    await app.close();
  });

  it("attack: a flood of distinct keys resets a victim's per-instance counter", async () => {
    const limit = app.core.settings.get('rate_login_account') as number;
    for (let i = 0; i < limit; i++) await enforceRateLimit(app.core, 'login_account', 'victim');
    // Ten times the cap in new accounts: each is refused (fails closed) once the windows are full.
    for (let i = 0; i < 100; i++) await enforceRateLimit(app.core, 'login_account', `flood-${i}`).catch(() => {});
    await expect(enforceRateLimit(app.core, 'login_account', 'victim')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(enforceRateLimit(app.core, 'login_account', 'newcomer')).rejects.toMatchObject({ code: 'rate_limited' });
    clock.advance(app.core.settings.get('rate_window') as number);
    await expect(enforceRateLimit(app.core, 'login_account', 'newcomer')).resolves.toBeUndefined();
  });
});
