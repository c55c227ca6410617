import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const window = 64;
const maxPadMs = 250;
/** The 95th percentile, not the maximum: one stalled commit must not slow every request. */
const quantile = 0.95;

/**
 * Evens out how long a use case takes whether or not it found an account, so timing does not
 * reveal which addresses have one. Both paths wait until the 95th percentile of recent "found"
 * runs (capped): the "found" path does more writes and sets the pace.
 * Real time, not core.clock: this is about what a client can measure, not about expiry.
 */
export class EvenTiming {
  private readonly samples: number[] = [];
  private next = 0;

  start(): number {
    return performance.now();
  }

  /** Call once the work is done; `found` runs teach the target. */
  async finish(startedAt: number, found: boolean): Promise<void> {
    const elapsed = performance.now() - startedAt;
    if (found) {
      this.samples[this.next] = elapsed;
      this.next = (this.next + 1) % window;
    }
    const wait = Math.min(this.target(), maxPadMs) - elapsed;
    if (wait > 0) await sleep(wait);
  }

  target(): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.floor(quantile * (sorted.length - 1))]!;
  }
}

const byOwner = new WeakMap<object, Map<string, EvenTiming>>();

/** The timing evener of one use case of `owner` (a core, or the context it hands out) in this process. */
export function evenTiming(owner: object, useCase: string): EvenTiming {
  let map = byOwner.get(owner);
  if (!map) byOwner.set(owner, (map = new Map()));
  let timing = map.get(useCase);
  if (!timing) map.set(useCase, (timing = new EvenTiming()));
  return timing;
}
