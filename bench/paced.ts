import { Agent, request } from 'node:http';
import { createHistogram } from 'node:perf_hooks';

export interface PacedResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  failed: number;
  /** Latency of 2xx responses, ms. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/**
 * GETs `path` at a steady `rate` (spread over each millisecond, not bursts at the top of each
 * second as autocannon's rate limiter does), over keep-alive connections. At a rate well below
 * saturation, its latency shows how long the server's event loop keeps a ready request waiting.
 */
export async function pacedGet(base: string, path: string, headers: Record<string, string>, rate: number, seconds: number): Promise<PacedResult> {
  const url = new URL(path, base);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const histogram = createHistogram();
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode && res.statusCode < 300) {
            ok++;
            histogram.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
          } else failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
  const pending: Promise<void>[] = [];
  while (performance.now() < endAt) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      sent++;
      pending.push(one());
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  agent.destroy();
  const us = (v: number) => Math.round(v) / 1000;
  return {
    rate,
    seconds,
    sent,
    ok,
    failed,
    latency: { p50: us(histogram.percentile(50)), p90: us(histogram.percentile(90)), p99: us(histogram.percentile(99)), max: us(histogram.max), mean: us(histogram.mean) },
  };
}
