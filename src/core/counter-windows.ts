/** The count a full set of windows answers for a key it cannot hold: over any limit. */
export const refusedCount = Number.MAX_SAFE_INTEGER;

interface Window {
  count: number;
  /** Clock milliseconds at which the window ends. */
  resetAt: number;
}

/**
 * Fixed-window counters (rate limits), at most `max` windows at once. A full set never drops
 * a live window: if it did, whoever floods distinct keys (logins, addresses) would reset a
 * victim's count. Ended windows make room first; while every window is live, a *new* key is
 * answered with `refusedCount` (it fails closed: treated as over its limit) and is not stored,
 * and the windows already counting go on counting until they end.
 */
export class CounterWindows {
  private readonly windows = new Map<string, Window>();
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
  }

  get size(): number {
    return this.windows.size;
  }

  /** The live window of `key`, if any. */
  peek(key: string, now: number): Readonly<Window> | undefined {
    return this.live(key, now);
  }

  /** Counts one hit; a new window starts at `from` + 1 and lasts `windowMs`. */
  hit(key: string, windowMs: number, now: number, from = 0): { count: number; resetSeconds: number } {
    let window = this.live(key, now);
    if (window === undefined) {
      if (!this.makeRoom(now)) return { count: refusedCount, resetSeconds: Math.ceil(windowMs / 1000) };
      window = { count: from, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  delete(key: string): void {
    this.windows.delete(key);
  }

  /** Drops every ended window; returns how many. */
  sweep(now: number): number {
    this.lastSweepAt = now;
    let removed = 0;
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) {
        this.windows.delete(key);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.windows.clear();
  }

  private makeRoom(now: number): boolean {
    if (this.windows.size < this.max) return true;
    // Windows are mostly one length, so insertion order is nearly end order: the oldest go first, O(1) each.
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) break;
      this.windows.delete(key);
    }
    // A full scan at most once a second, so a set full of live windows stays O(1) per hit.
    if (this.windows.size >= this.max && now - this.lastSweepAt >= 1000) this.sweep(now);
    return this.windows.size < this.max;
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window === undefined) return undefined;
    if (window.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
