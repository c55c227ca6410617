import type { Config } from '../config.js';
import { createApp } from '../app.js';

/** Starts one server process and stops it gracefully on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const app = await createApp(config);
  await app.http.listen({ host: config.host, port: config.port });
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lines = [
    `Gatehouse listening on ${base} (ready in ${Math.round(performance.now() - started)} ms)`,
    `  API docs     ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  JWKS         ${base}/.well-known/jwks.json`,
    `  database     ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`,
    `  data dir     ${config.dataDir}${app.secretKey.generated ? ` (secret key generated in ${app.secretKey.file})` : ''}`,
    `  mail         ${config.smtpUrl ? 'SMTP' : `files in ${config.dataDir}/mail/ (codes and links also logged)`}`,
    `  cache        ${config.redisUrl ? 'Redis' : 'in-process memory'}`,
    config.compat.length ? `  compat       ${config.compat.join(', ')}` : '',
  ].filter(Boolean);
  app.core.log.info({ url: base }, 'gatehouse ready');
  process.stdout.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.core.log.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.core.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
