import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { RedisCache } from '../../src/cache/redis.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Cache } from '../../src/core/context.js';
import { capturingLogger, describeWithRedis, dropPrefix, redisUrl, sleep, uniquePrefix, type LogLine } from './support.js';
import { eventually } from '../support/eventually.js';

/** One implementation under test, and how its time moves: by hand for memory, really for Redis. */
interface Backend {
  make(log: ReturnType<typeof capturingLogger>['log']): Promise<Cache>;
  elapse(seconds: number): Promise<void>;
}

const clock = new ManualClock();
const memory: Backend = {
  make: async (log) => new MemoryCache({ clock, log }),
  elapse: async (seconds) => clock.advance(seconds),
};

const prefix = uniquePrefix();
const redis: Backend = {
  make: async (log) => {
    const cache = new RedisCache({ url: redisUrl, prefix, log });
    await eventually('redis cache to become healthy', () => cache.healthy());
    return cache;
  },
  elapse: (seconds) => sleep(seconds * 1000),
};

afterAll(() => dropPrefix(redisUrl, prefix).catch(() => undefined));

function cacheSuite(backend: Backend): void {
  let cache: Cache;
  let lines: LogLine[];
  let n = 0;
  /** Keys unique per test, so Redis state never leaks between tests. */
  const key = (name: string): string => `t${n}:${name}`;

  beforeEach(async () => {
    n++;
    const captured = capturingLogger();
    lines = captured.lines;
    cache = await backend.make(captured.log);
  });
  afterEach(async () => {
    await cache.close();
  });

  it('returns undefined for a missing key', async () => {
    expect(await cache.get(key('missing'))).toBeUndefined();
  });

  it('stores, overwrites and deletes values', async () => {
    await cache.set(key('a'), 'one', 60);
    expect(await cache.get(key('a'))).toBe('one');
    await cache.set(key('a'), 'two', 60);
    expect(await cache.get(key('a'))).toBe('two');
    await cache.del(key('a'));
    expect(await cache.get(key('a'))).toBeUndefined();
    await cache.del(key('never-set'));
  });

  it('expires a value after its TTL', async () => {
    await cache.set(key('short'), 'v', 0.3);
    await cache.set(key('long'), 'v', 60);
    await backend.elapse(0.1);
    expect(await cache.get(key('short'))).toBe('v');
    await backend.elapse(0.35);
    expect(await cache.get(key('short'))).toBeUndefined();
    expect(await cache.get(key('long'))).toBe('v');
  });

  it('removes the key when set with a TTL of zero or less', async () => {
    await cache.set(key('k'), 'v', 60);
    await cache.set(key('k'), 'w', 0);
    expect(await cache.get(key('k'))).toBeUndefined();
    await cache.set(key('k'), 'w', -5);
    expect(await cache.get(key('k'))).toBeUndefined();
  });

  it('rejects a TTL or window that is not a finite positive number', async () => {
    await expect(cache.set(key('k'), 'v', Number.NaN)).rejects.toThrow(RangeError);
    await expect(cache.set(key('k'), 'v', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    await expect(cache.hit(key('h'), 0)).rejects.toThrow(RangeError);
    await expect(cache.hit(key('h'), Number.NaN)).rejects.toThrow(RangeError);
  });

  it('counts hits in a window and reports the seconds left', async () => {
    expect(await cache.hit(key('login'), 60)).toEqual({ count: 1, resetSeconds: 60 });
    expect(await cache.hit(key('login'), 60)).toEqual({ count: 2, resetSeconds: 60 });
    expect((await cache.hit(key('login'), 60)).count).toBe(3);
    expect((await cache.hit(key('other'), 60)).count).toBe(1);
    // Counters share the key space with values, as in Redis.
    expect(await cache.get(key('login'))).toBe('3');
  });

  it('starts a new window once the first expires, and later hits do not extend it', async () => {
    expect((await cache.hit(key('w'), 0.4)).count).toBe(1);
    await backend.elapse(0.25);
    const second = await cache.hit(key('w'), 0.4);
    expect(second).toEqual({ count: 2, resetSeconds: 1 });
    await backend.elapse(0.25);
    expect((await cache.hit(key('w'), 0.4)).count).toBe(1);
  });

  it('resets a counter when its key is deleted', async () => {
    await cache.hit(key('c'), 60);
    await cache.hit(key('c'), 60);
    await cache.del(key('c'));
    expect((await cache.hit(key('c'), 60)).count).toBe(1);
  });

  it('keeps the TTL of a value it increments', async () => {
    await cache.set(key('n'), '41', 0.3);
    expect(await cache.hit(key('n'), 60)).toEqual({ count: 42, resetSeconds: 1 });
    await backend.elapse(0.45);
    expect(await cache.get(key('n'))).toBeUndefined();
  });

  it('refuses to count a value that is not an integer', async () => {
    await cache.set(key('s'), 'abc', 60);
    await expect(cache.hit(key('s'), 60)).rejects.toThrow();
  });

  it('delivers published messages, in order, to every handler of the channel only', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    const channel = key('events');
    await cache.subscribe(channel, (m) => a.push(m));
    await cache.subscribe(channel, (m) => b.push(m));
    await cache.subscribe(key('other'), (m) => other.push(m));
    for (const m of ['1', '2', '3']) await cache.publish(channel, m);
    await eventually('messages', () => a.length === 3 && b.length === 3);
    expect(a).toEqual(['1', '2', '3']);
    expect(b).toEqual(['1', '2', '3']);
    await sleep(20);
    expect(other).toEqual([]);
  });

  it('keeps delivering when a handler throws or rejects, and logs it', async () => {
    const got: string[] = [];
    const channel = key('faulty');
    await cache.subscribe(channel, () => {
      throw new Error('sync boom');
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a handler that rejects is what this test feeds the cache
    await cache.subscribe(channel, async () => {
      throw new Error('async boom');
    });
    await cache.subscribe(channel, (m) => got.push(m));
    await cache.publish(channel, 'x');
    await cache.publish(channel, 'y');
    await eventually('messages', () => got.length === 2);
    await eventually('error logs', () => lines.filter((l) => l.level === 50).length === 4);
    expect(lines.filter((l) => l.level === 50).every((l) => l.msg === 'cache subscriber failed')).toBe(true);
  });

  it('is healthy until closed, and refuses calls after close', async () => {
    expect(cache.healthy()).toBe(true);
    await cache.close();
    expect(cache.healthy()).toBe(false);
    await expect(cache.get(key('k'))).rejects.toThrow('closed');
    await expect(cache.publish(key('c'), 'm')).rejects.toThrow('closed');
    await cache.close();
  });
}

describe('MemoryCache (behaviour shared with Redis)', () => cacheSuite(memory));
describeWithRedis('RedisCache (behaviour shared with memory)', () => cacheSuite(redis));
