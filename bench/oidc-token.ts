/**
 * `npm run bench -- --oidc-token [--backend …] [--quick]`: the OpenID provider's token endpoint,
 * client-credentials grants per second (each one a client lookup, a stored token and an audit row),
 * over one registered machine client, on the plan's HTTP connections. Prints rps and latency.
 */
import { join } from 'node:path';
import { createBenchDatabase, type Backend, type BenchDatabase } from './database.js';
import { runLoad } from './load.js';
import { processCpuSeconds } from './machine-load.js';
import { distDir, runNode, type Measured } from './processes.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

export async function benchOidcToken(backend: Backend, options: RunOptions): Promise<void> {
  const { plan, log } = options;
  const script = join(distDir, 'src/main.js');
  let db: BenchDatabase | undefined;
  let server: Measured | undefined;
  try {
    db = await createBenchDatabase(backend, script);
    const env = { DATABASE_URL: db.url, GATEHOUSE_DATA_DIR: db.dataDir, GATEHOUSE_ENV: 'development', LOG_LEVEL: 'warn' };
    const made = JSON.parse(await runNode(script, ['clients', 'create', '--name', 'bench', '--grant', 'client_credentials', '--scope', 'bench:read', '--json'], env)) as { client_id: string; client_secret: string };
    server = await startGatehouse(db, options);
    const authorization = `Basic ${Buffer.from(`${made.client_id}:${made.client_secret}`).toString('base64')}`;
    const requests = () => [{ method: 'POST' as const, path: '/oidc/token', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=bench%3Aread' }];
    await runLoad({ url: server.url, connections: plan.connections, seconds: plan.warm, requests });
    const before = processCpuSeconds(server.child.pid ?? 0) ?? 0;
    const r = await runLoad({ url: server.url, connections: plan.connections, seconds: plan.seconds, requests });
    const cpuUs = (((processCpuSeconds(server.child.pid ?? 0) ?? 0) - before) / Math.max(1, r.requests)) * 1e6;
    log(`${backend} oidc-token (client credentials): ${r.rps.toFixed(0)} /s  p50 ${r.latency.p50.toFixed(2)} ms  p99 ${r.latency.p99.toFixed(2)} ms  server CPU ${cpuUs.toFixed(0)} µs/req  ${plan.connections} connections, ${plan.seconds} s${r.non2xx ? `  NON-2XX ${r.non2xx} (${r.firstFailure})` : ''}`);
  } finally {
    await server?.stop();
    await db?.drop();
  }
}
