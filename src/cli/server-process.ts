import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createApp, type AppOptions, type Gatehouse } from '../app.js';
import { listenMetrics } from '../http/metrics.js';

/* What one server process does, whether it runs alone (serve.ts) or as a cluster worker (cluster.ts). */

export function baseUrl(config: Config, port: number): string {
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}

/** The lines printed once the server is ready. */
export function banner(config: Config, app: Pick<Gatehouse, 'secretKey'>, port: number, extra: string[] = []): string {
  const base = baseUrl(config, port);
  return [
    `Gatehouse listening on ${base}`,
    `  API docs     ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  admin        ${base}/admin   (create a superuser first: gatehouse createsuperuser)`,
    `  JWKS         ${base}/.well-known/jwks.json`,
    `  health       ${base}/healthz  ${base}/readyz`,
    `  metrics      ${config.metricsPort ? `${baseUrl(config, config.metricsPort)}/metrics` : `${base}/metrics`}${config.metricsToken ? ' (token required)' : ''}`,
    `  database     ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}`,
    `  data dir     ${config.dataDir}${app.secretKey.generated ? ` (secret key generated in ${app.secretKey.file})` : ''}`,
    `  mail         ${config.smtpUrl ? 'SMTP' : `files in ${config.dataDir}/mail/ (codes and links also logged)`}`,
    `  cache        ${config.redisUrl ? `Redis (prefix ${config.redisPrefix})` : 'in-process memory'}`,
    config.compat.length ? `  compat       ${config.compat.join(', ')}` : '',
    ...extra,
  ].filter(Boolean).join('\n') + '\n';
}

/**
 * Stops on SIGTERM/SIGINT: `stop()` must stop accepting, let in-flight requests finish and
 * close the pools. If it takes longer than the shutdown timeout the process exits anyway.
 */
export function exitGracefully(log: Logger, timeoutSeconds: number, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const started = Date.now();
    const force = setTimeout(() => {
      log.error({ timeoutSeconds }, 'shutdown timed out; exiting with requests still open');
      process.exit(1);
    }, timeoutSeconds * 1000);
    force.unref();
    stop().then(
      () => {
        log.info({ ms: Date.now() - started }, 'shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/** One server process: the app on PORT (and metrics on GATEHOUSE_METRICS_PORT), until a signal. */
export async function startServer(config: Config, options: AppOptions = {}, metricsOwnPort = true): Promise<{ app: Gatehouse; port: number; close(): Promise<void> }> {
  const app = await createApp(config, options);
  let metricsServer: Server | undefined;
  try {
    await app.http.listen({ host: config.host, port: config.port });
    if (metricsOwnPort && config.metricsPort !== undefined) {
      metricsServer = await listenMetrics(config.host, config.metricsPort, app.metrics.local, config.metricsToken);
    }
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    port,
    async close() {
      metricsServer?.close();
      await app.close();
    },
  };
}
