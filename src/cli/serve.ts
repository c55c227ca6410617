import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ConfigError, type Config } from '../config.js';
import { runClusterPrimary, runClusterWorker } from './cluster.js';
import { banner, baseUrl, exitGracefully, startServer } from './server-process.js';
import { prepareSchema } from '../store/schema-level.js';

export type ServeFlags = Record<string, string | boolean | undefined>;

/** `--workers N|auto` wins over GATEHOUSE_WORKERS; `auto` is the number of cores. */
export function resolveWorkers(config: Config, flags: ServeFlags = {}): number {
  const raw = flags.workers;
  let workers: number | 'auto' = config.workers;
  if (raw !== undefined) {
    if (raw === 'auto') workers = 'auto';
    else if (typeof raw === 'string' && /^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 256) workers = Number(raw);
    else throw new ConfigError('--workers', `expected a number from 1 to 256 or "auto", got "${String(raw)}"`);
  }
  const n = workers === 'auto' ? availableParallelism() : workers;
  if (n > 1 && config.redisUrl === undefined) {
    // Separate processes must share rate limits and revocations; memory cannot do that.
    throw new ConfigError('GATEHOUSE_WORKERS', `${n} worker processes need REDIS_URL (workers share rate limits, revocations and settings through it)`);
  }
  return n;
}

export async function serve(config: Config, flags: ServeFlags = {}): Promise<void> {
  if (cluster.isWorker) return runClusterWorker(config);
  const workers = resolveWorkers(config, flags);
  await prepareSchema(config);
  if (workers > 1) return runClusterPrimary(config, workers);
  const started = performance.now();
  const server = await startServer(config, { migrate: false });
  const log = server.app.core.log;
  log.info({ url: baseUrl(config, server.port), pid: process.pid }, 'gatehouse ready');
  process.stdout.write(banner(config, server.app, server.port, [`  ready in     ${Math.round(performance.now() - started)} ms (pid ${process.pid})`]));
  exitGracefully(log, config.shutdownTimeoutSeconds, () => server.close());
}
