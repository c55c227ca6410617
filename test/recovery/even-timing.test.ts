import { describe, expect, it } from 'vitest';
import { EvenTiming } from '../../src/core/recovery/even-timing.js';

describe('EvenTiming', () => {
  it('pads to the 95th percentile of recent "found" runs; "not found" runs do not move it', async () => {
    const timing = new EvenTiming();
    expect(timing.target()).toBe(0);
    // Durations are measured from `startedAt`: a start in the past stands for work that took that long.
    const at = (msAgo: number) => timing.start() - msAgo;
    for (let i = 1; i <= 20; i++) await timing.finish(at(i), true);
    expect(timing.target()).toBeGreaterThanOrEqual(19);
    expect(timing.target()).toBeLessThan(20.5);
    const before = timing.target();
    await timing.finish(at(10_000), false);
    expect(timing.target()).toBe(before);
  });

  it('forgets old runs: the window holds the last 64', async () => {
    const timing = new EvenTiming();
    await timing.finish(timing.start() - 200, true);
    for (let i = 0; i < 64; i++) await timing.finish(timing.start() - 1, true);
    expect(timing.target()).toBeLessThan(200);
  });
});
