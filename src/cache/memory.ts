import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import type { Cache } from '../core/context.js';
import { ChannelHandlers, type MessageHandler } from './channel-handlers.js';
import { ttlMs } from './ttl.js';

export interface MemoryCacheOptions {
  clock?: Clock;
  /** Where failing subscribers are reported. */
  log?: Logger;
  /** Beyond this many keys the least recently written are dropped (default 100 000). */
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
 * counters from `hit()` share the key space with `set()` values, as they do in Redis.
 * Never throws for availability reasons; throws only on bad arguments or after `close()`.
 */
export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly handlers: ChannelHandlers;
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly sweeper: NodeJS.Timeout;
  private lastSweepAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(options: MemoryCacheOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.handlers = new ChannelHandlers(options.log);
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    // The sweep is housekeeping: it must never keep the process alive.
    this.sweeper.unref();
  }

  /** Keys held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    this.assertOpen();
    return this.live(key)?.value;
  }

  /** A TTL of zero or less removes the key: the value would be expired already. */
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.assertOpen();
    const ms = ttlMs(ttlSeconds, 'ttlSeconds');
    if (ttlSeconds <= 0) {
      this.entries.delete(key);
      return;
    }
    this.write(key, { value, expiresAt: this.clock.now() + ms });
  }

  async del(key: string): Promise<void> {
    this.assertOpen();
    this.entries.delete(key);
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    this.assertOpen();
    if (!(windowSeconds > 0)) throw new RangeError(`windowSeconds must be positive, got ${windowSeconds}`);
    const now = this.clock.now();
    const entry = this.live(key);
    if (entry === undefined) {
      const fresh = { value: '1', expiresAt: now + ttlMs(windowSeconds, 'windowSeconds') };
      this.write(key, fresh);
      return { count: 1, resetSeconds: Math.ceil((fresh.expiresAt - now) / 1000) };
    }
    const count = Number(entry.value) + 1;
    // Same refusal as Redis INCR on a value that is not an integer.
    if (!/^-?\d+$/.test(entry.value) || !Number.isSafeInteger(count)) throw new Error(`value at ${key} is not an integer`);
    entry.value = String(count);
    return { count, resetSeconds: Math.ceil((entry.expiresAt - now) / 1000) };
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
    this.handlers.clear();
  }

  /** Drops every expired key; returns how many. Runs on a timer, public so tests need not wait for it. */
  sweep(): number {
    const now = this.clock.now();
    this.lastSweepAt = now;
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
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
    // Re-inserting moves the key to the end, so Map order is least recently written first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size <= this.maxEntries) return;
    // A full scan at most once a second, so a cache full of live keys stays O(1) per write.
    if (this.clock.now() - this.lastSweepAt >= 1000) this.sweep();
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('cache is closed');
  }
}
