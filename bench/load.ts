import autocannon, { type Client, type Request } from 'autocannon';
import { createHistogram } from 'node:perf_hooks';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; omit to push as fast as the server answers. */
  rate?: number;
  /** Per-connection request sequence; gets the connection's index (0-based). */
  requests: (connection: number) => Request[];
}

export interface LoadResult {
  connections: number;
  seconds: number;
  rate?: number;
  requests: number;
  /** 2xx responses per second. */
  rps: number;
  /** Latency of 2xx responses, ms (microsecond resolution). */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** First non-2xx status and body seen, to say why. */
  firstFailure?: string;
}

/**
 * Drives the server with autocannon. Latency is recorded here from each response's own
 * timing with microsecond resolution (autocannon's own histogram keeps whole milliseconds).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const histogram = createHistogram();
  let next = 0;
  let firstFailure: string | undefined;
  const noteFailure = (inner: Request['onResponse']): Request['onResponse'] => (status, body, context, headers) => {
    if ((status < 200 || status >= 300) && firstFailure === undefined) firstFailure = `${status} ${String(body).slice(0, 300)}`;
    if (typeof inner === 'function') inner(status, body, context, headers);
  };
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    ...(options.rate ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    setupClient(client: Client) {
      const index = next++;
      client.setRequests(options.requests(index).map((r) => ({ ...r, onResponse: noteFailure(r.onResponse) })));
      client.on('response', (status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) histogram.record(Math.max(1, Math.round(ms * 1000)));
      });
    },
  });
  const result = await instance;
  const us = (v: number) => Math.round(v) / 1000;
  const ok = result['2xx'];
  return {
    connections: options.connections,
    seconds: options.seconds,
    rate: options.rate,
    requests: ok + result.non2xx,
    rps: ok / Math.max(result.duration, 0.001),
    latency: {
      p50: us(histogram.percentile(50)),
      p90: us(histogram.percentile(90)),
      p99: us(histogram.percentile(99)),
      max: us(histogram.max),
      mean: us(histogram.mean),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    firstFailure: result.non2xx > 0 ? firstFailure : undefined,
  };
}
