import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import type { Cache } from '../core/context.js';
import { CounterWindows, refusedCount } from '../core/counter-windows.js';
import { entryBound } from '../core/lru.js';
import { ChannelHandlers, type MessageHandler } from './channel-handlers.js';
import { ttlMs } from './ttl.js';

export interface MemoryCacheOptions {
  clock?: Clock;
  /** Where failing subscribers are reported. */
  log?: Logger;
  /**
   * The most values and, separately, the most counters held (default 100 000,
   * GATEHOUSE_CACHE_MAX_ENTRIES). Values beyond it go least recently used first, expired ones
   * before any live one; counters are never dropped before their window ends (see CounterWindows).
   */
  maxEntries?: number;
  /** How often expired keys are swept, in real milliseconds (default 60 000). */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** Clock milliseconds at which the key stops existing. */
  expiresAt: number;
}

/**
 * The cache of a single process. Keys expire lazily on read and in a periodic sweep;
 * counters from `hit()` share the key space with `set()` values, as they do in Redis (a key
 * lives in one of the two stores). Values are a bounded LRU; counters are rate-limit windows
 * kept apart, so no flood of values or of other counters can push a live window out.
 * Never throws for availability reasons; throws only on bad arguments or after `close()`.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries: LRUCache<string, Entry>;
  private readonly counters: CounterWindows;
  private readonly handlers: ChannelHandlers;
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly sweeper: NodeJS.Timeout;
  private lastSweepAt = Number.NEGATIVE_INFINITY;
  private lastFullWarningAt = Number.NEGATIVE_INFINITY;
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(options: MemoryCacheOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.handlers = new ChannelHandlers(options.log);
    this.log = options.log;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
    this.entries = new LRUCache<string, Entry>(entryBound(this.maxEntries));
    this.counters = new CounterWindows(this.maxEntries);
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    // The sweep is housekeeping: it must never keep the process alive.
    this.sweeper.unref();
  }

  /** Keys held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size + this.counters.size;
  }

  async get(key: string): Promise<string | undefined> {
    this.assertOpen();
    const counter = this.counters.peek(key, this.clock.now());
    return counter === undefined ? this.live(key)?.value : String(counter.count);
  }

  /** A TTL of zero or less removes the key: the value would be expired already. */
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.assertOpen();
    const ms = ttlMs(ttlSeconds, 'ttlSeconds');
    this.counters.delete(key);
    if (ttlSeconds <= 0) {
      this.entries.delete(key);
      return;
    }
    this.write(key, { value, expiresAt: this.clock.now() + ms });
  }

  async del(key: string): Promise<void> {
    this.assertOpen();
    this.entries.delete(key);
    this.counters.delete(key);
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    this.assertOpen();
    if (!(windowSeconds > 0)) throw new RangeError(`windowSeconds must be positive, got ${windowSeconds}`);
    const now = this.clock.now();
    const windowMs = ttlMs(windowSeconds, 'windowSeconds');
    const entry = this.live(key);
    if (entry === undefined) return this.warnIfFull(this.counters.hit(key, windowMs, now), now);
    // INCR on a value set() wrote: it becomes a counter, keeping its TTL.
    const count = Number(entry.value) + 1;
    // Same refusal as Redis INCR on a value that is not an integer.
    if (!/^-?\d+$/.test(entry.value) || !Number.isSafeInteger(count)) throw new Error(`value at ${key} is not an integer`);
    const hit = this.counters.hit(key, entry.expiresAt - now, now, count - 1);
    if (hit.count !== refusedCount) this.entries.delete(key);
    return this.warnIfFull(hit, now);
  }

  async publish(channel: string, message: string): Promise<void> {
    this.assertOpen();
    // Delivered later, never inside publish(), as a Redis subscriber would see it.
    queueMicrotask(() => {
      if (!this.closed) this.handlers.deliver(channel, message);
    });
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.assertOpen();
    this.handlers.add(channel, handler);
  }

  healthy(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.entries.clear();
    this.counters.clear();
    this.handlers.clear();
  }

  /** Drops every expired key; returns how many. Runs on a timer, public so tests need not wait for it. */
  sweep(): number {
    const now = this.clock.now();
    this.lastSweepAt = now;
    const expired: string[] = [];
    for (const [key, entry] of this.entries.entries()) if (entry.expiresAt <= now) expired.push(key);
    for (const key of expired) this.entries.delete(key);
    return expired.length + this.counters.sweep(now);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, entry: Entry): void {
    // Full: expired keys go before the LRU drops a live one; a full scan at most once a
    // second, so a cache full of live keys stays O(1) per write.
    if (this.entries.size >= this.maxEntries && !this.entries.has(key) && this.clock.now() - this.lastSweepAt >= 1000) this.sweep();
    this.entries.set(key, entry);
  }

  /** An operator should hear that new clients are being limited because every counter slot is live (at most once a minute). */
  private warnIfFull<T extends { count: number }>(hit: T, now: number): T {
    if (hit.count === refusedCount && now - this.lastFullWarningAt >= 60_000) {
      this.lastFullWarningAt = now;
      this.log?.warn({ maxEntries: this.maxEntries }, 'rate-limit counters full of live windows: new keys count as over their limit (raise GATEHOUSE_CACHE_MAX_ENTRIES if this is not an attack)');
    }
    return hit;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('cache is closed');
  }
}
