import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { ManualClock } from '../../src/core/clock.js';

describe('MemoryCache', () => {
  const caches: MemoryCache[] = [];
  const make = (options: ConstructorParameters<typeof MemoryCache>[0]): MemoryCache => {
    const cache = new MemoryCache(options);
    caches.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });

  it('is a memory cache', () => {
    expect(make({}).kind).toBe('memory');
  });

  it('sweeps expired keys it was never asked for again', async () => {
    const clock = new ManualClock();
    const cache = make({ clock });
    await cache.set('a', '1', 10);
    await cache.set('b', '1', 30);
    await cache.hit('c', 10);
    clock.advance(10);
    expect(cache.size).toBe(3);
    expect(cache.sweep()).toBe(2);
    expect(cache.size).toBe(1);
    expect(await cache.get('b')).toBe('1');
  });

  it('sweeps on its own timer, which does not keep the process alive', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clock = new ManualClock();
    const cache = make({ clock, sweepIntervalMs: 20 });
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    setIntervalSpy.mockRestore();
    expect(timer.hasRef()).toBe(false);
    await cache.set('a', '1', 5);
    clock.advance(5);
    expect(cache.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used values beyond maxEntries, expired ones first', async () => {
    const clock = new ManualClock();
    const cache = make({ clock, maxEntries: 3 });
    await cache.set('old', '1', 60);
    await cache.set('short', '1', 1);
    await cache.set('mid', '1', 60);
    clock.advance(2);
    await cache.set('new', '1', 60);
    // The expired key made room; nothing live was dropped.
    expect(cache.size).toBe(3);
    expect(await cache.get('old')).toBe('1');
    await cache.set('old', '2', 60);
    await cache.set('newest', '1', 60);
    // 'mid' is now the least recently used ('old' was read and rewritten).
    expect(cache.size).toBe(3);
    expect(await cache.get('mid')).toBeUndefined();
    expect(await cache.get('old')).toBe('2');
    expect(await cache.get('new')).toBe('1');
    expect(await cache.get('newest')).toBe('1');
  });

  it('calls subscribers asynchronously, never inside publish()', async () => {
    const cache = make({});
    const got: string[] = [];
    await cache.subscribe('c', (m) => got.push(m));
    const published = cache.publish('c', 'm');
    expect(got).toEqual([]);
    await published;
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual(['m']);
  });

  it('does not deliver messages published just before close()', async () => {
    const cache = make({});
    const got: string[] = [];
    await cache.subscribe('c', (m) => got.push(m));
    void cache.publish('c', 'm');
    await cache.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([]);
  });
});
