import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config.js';
import { createApp } from '../app.js';
import { listenMetrics, processMetrics, type MetricsSource } from '../http/metrics.js';
import { createLogger } from '../logger.js';
import { banner, exitGracefully, startServer } from './server-process.js';

/** Messages between the primary and its workers (prom-client adds its own for metrics). */
type ClusterMessage =
  | { type: 'gatehouse:ready'; port: number }
  | { type: 'gatehouse:metrics-req'; id: number }
  | { type: 'gatehouse:metrics-res'; id: number; contentType?: string; body?: string; error?: string };

function isMessage(value: unknown): value is ClusterMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('gatehouse:');
}

/**
 * `serve --workers N`: N worker processes share the port (node:cluster), each a full server
 * over the shared database and Redis. The primary prepares the database once, restarts a
 * worker that dies, serves the merged metrics, and on SIGTERM stops every worker gracefully.
 */
export async function runClusterPrimary(config: Config, workers: number): Promise<void> {
  const log = createLogger(config).child({ role: 'primary' });
  const started = performance.now();
  // Migrations (SQLite), the generated secret key and the first signing key are made once, here,
  // not raced by N workers starting together.
  const warm = await createApp(config, { mailWorker: false, cleanup: false });
  const secretKey = warm.secretKey;
  await warm.close();

  const aggregator = new AggregatorRegistry();
  const merged: MetricsSource = async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() });
  let metricsServer: Server | undefined;
  if (config.metricsPort !== undefined) metricsServer = await listenMetrics(config.host, config.metricsPort, merged, config.metricsToken);

  let stopping = false;
  let announced = false;
  let port = config.port;
  const ready = new Set<number>();
  const crashes: number[] = [];

  const fork = (): Worker => cluster.fork();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'gatehouse:ready') {
      ready.add(worker.id);
      port = message.port;
      if (!announced && ready.size === workers) {
        announced = true;
        log.info({ workers, port }, 'gatehouse ready');
        process.stdout.write(banner(config, { secretKey }, port, [
          `  workers      ${workers} processes (primary pid ${process.pid})`,
          `  ready in     ${Math.round(performance.now() - started)} ms`,
        ]));
      }
    } else if (message.type === 'gatehouse:metrics-req') {
      merged().then(
        (out) => worker.send({ type: 'gatehouse:metrics-res', id: message.id, ...out } satisfies ClusterMessage),
        (err: unknown) => worker.send({ type: 'gatehouse:metrics-res', id: message.id, error: String(err) } satisfies ClusterMessage),
      );
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) return;
    // A worker that died on its own is replaced; one crashing in a loop is replaced more slowly.
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - 60_000) crashes.shift();
    const delay = Math.min(500 * 2 ** Math.max(0, crashes.length - 1), 30_000);
    log.error({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited; starting a new one');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  for (let i = 0; i < workers; i++) fork();

  exitGracefully(log, config.shutdownTimeoutSeconds + 5, async () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    // Each worker stops accepting, finishes its requests and releases its outbox claims.
    await Promise.all(alive.map((w) => new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    })));
    metricsServer?.close();
  });
}

/** A worker: a full server on the shared port; metrics on the main port come merged from the primary. */
export async function runClusterWorker(config: Config): Promise<void> {
  const pending = new Map<number, { resolve: (out: { contentType: string; body: string }) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage(message) || message.type !== 'gatehouse:metrics-res') return;
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined || message.body === undefined) request?.reject(new Error(message.error ?? 'no metrics'));
    else request?.resolve({ contentType: message.contentType ?? 'text/plain', body: message.body });
  });
  const fromPrimary: MetricsSource = () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer'));
      }, 6000);
      pending.set(id, {
        resolve: (out) => (clearTimeout(timer), resolve(out)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
      process.send?.({ type: 'gatehouse:metrics-req', id } satisfies ClusterMessage);
    });

  const server = await startServer(config, { migrate: false, metricsSource: fromPrimary }, false);
  // Answers the primary's requests for this worker's metrics (prom-client's cluster protocol).
  AggregatorRegistry.setRegistries([processMetrics(), server.app.metrics.registry]);
  new AggregatorRegistry();
  const log = server.app.core.log;
  log.info({ port: server.port }, 'worker ready');
  process.send?.({ type: 'gatehouse:ready', port: server.port } satisfies ClusterMessage);
  exitGracefully(log, config.shutdownTimeoutSeconds, () => server.close());
  // The primary is gone (killed hard): stop rather than serve unsupervised.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
