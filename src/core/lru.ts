import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';

/**
 * lru-cache's options for "at most `max` entries" with storage that grows as entries arrive.
 * Given `max`, lru-cache allocates all `max` slots up front (tens of ms per 100 000-entry cache,
 * paid by every start); a `maxSize` of `max` with each entry of size 1 holds the same bound
 * (the least recently used is dropped first) without the preallocation (see its README,
 * "Storage Bounds Safety"), and freed slots are reused, so storage never exceeds `max` entries.
 */
export function entryBound(max: number): { maxSize: number; sizeCalculation: () => number } {
  return { maxSize: max, sizeCalculation: () => 1 };
}

/**
 * A bounded LRU whose entries also expire: at most `max` entries, the least recently used
 * dropped first, each gone once more than `ttlMs` has passed since it was set (or the TTL given
 * to `set`). Time is the injected clock, read on every check (`ttlResolution: 0`), so a test
 * that moves the clock sees expiry at once.
 */
export function boundedLru<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(clock: Clock, max: number, ttlMs: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ ...entryBound(max), ttl: ttlMs, ttlResolution: 0, perf: { now: () => clock.now() } });
}
