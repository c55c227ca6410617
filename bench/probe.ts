/**
 * Preloaded (`node --import`) into every process the bench measures — Gatehouse and the
 * bare route alike — so event-loop delay and memory are read the same way in both. It
 * answers over the IPC channel the bench opens; without one it does nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReading {
  rss: number;
  heapUsed: number;
  /** Event-loop delay since the last reset, in milliseconds beyond the 10 ms sampling interval (0 = never late). */
  eld: { p50: number; p99: number; max: number; mean: number };
}

export type ProbeCommand = 'read' | 'reset';

if (typeof process.send === 'function') {
  // 10 ms sampling, as prom-client's nodejs_eventloop_lag metrics use.
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // The histogram holds whole intervals between ticks; the delay is what exceeds the interval.
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 100) / 100);
  process.on('message', (command: ProbeCommand) => {
    const memory = process.memoryUsage();
    const reading: ProbeReading = {
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      eld: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean) },
    };
    if (command === 'reset') histogram.reset();
    process.send?.(reading);
  });
  // The channel must not keep a server alive that was asked to stop.
  process.channel?.unref();
}
