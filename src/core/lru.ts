import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';

/**
 * A bounded LRU whose entries also expire: at most `max` entries, the least recently used
 * dropped first, each gone once more than `ttlMs` has passed since it was set (or the TTL given
 * to `set`). Time is the injected clock, read on every check (`ttlResolution: 0`), so a test
 * that moves the clock sees expiry at once.
 */
export function boundedLru<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(clock: Clock, max: number, ttlMs: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ max, ttl: ttlMs, ttlResolution: 0, perf: { now: () => clock.now() } });
}
