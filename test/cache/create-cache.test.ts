import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache } from '../../src/cache/index.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Cache } from '../../src/core/context.js';
import { freePort } from './support.js';

describe('createCache', () => {
  const log = pino({ level: 'silent' });
  let cache: Cache | undefined;
  afterEach(async () => {
    await cache?.close();
  });

  it('uses memory when REDIS_URL is not set', () => {
    cache = createCache(loadConfig({}), new ManualClock(), log);
    expect(cache.kind).toBe('memory');
  });

  it('uses Redis when REDIS_URL is set, without waiting for it to answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    cache = createCache(loadConfig({ REDIS_URL: url }), new ManualClock(), log);
    expect(cache.kind).toBe('redis');
    expect(cache.healthy()).toBe(false);
  });
});
