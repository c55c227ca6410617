import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory.js';
import { ManualClock } from '../../src/core/clock.js';
import { boundedLru } from '../../src/core/lru.js';

/** Bytes of heap still held after `make()`, its result kept alive until measured. */
function retainedBytes(make: () => unknown): number {
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  const after = process.memoryUsage().heapUsed;
  void kept;
  return after - before;
}

describe('bounded LRU storage (src/core/lru.ts)', () => {
  it('holds at most its bound, least recently used dropped first, its slots reused', () => {
    const lru = boundedLru<string, number>(new ManualClock(), 1000, 60_000);
    lru.set('hot', 0);
    for (let i = 0; i < 5000; i++) {
      lru.set(`k${i}`, i);
      expect(lru.get('hot')).toBe(0);
      expect(lru.size).toBeLessThanOrEqual(1000);
    }
    expect(lru.size).toBe(1000);
    expect(lru.has('k0')).toBe(false);
    expect(lru.get('k4999')).toBe(4999);
  });

  it('allocates no storage for its bound up front (a start pays nothing for a 10M-entry cap)', () => {
    // lru-cache given `max` allocates every slot at once: 10M keys and values alone are 160 MB.
    const clock = new ManualClock();
    expect(retainedBytes(() => boundedLru(clock, 10_000_000, 60_000))).toBeLessThan(10_000_000);
    expect(
      retainedBytes(() => {
        const cache = new MemoryCache({ clock, maxEntries: 10_000_000 });
        void cache.close();
        return cache;
      }),
    ).toBeLessThan(10_000_000);
  });
});
