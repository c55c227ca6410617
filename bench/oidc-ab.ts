/**
 * `node dist/bench/oidc-ab.js --baseline <other build's dist> [--backend sqlite|postgres] [--rounds 10] [--seconds 2]`
 * (after `tsc -p bench/tsconfig.json`): client-credentials grants against this build's server and
 * a baseline build's, both running on one bench database, in alternating short loads, so a change
 * is judged on a busy machine by paired rounds and medians of server CPU per request.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'autocannon';
import { createBenchDatabase, type Backend } from './database.js';
import { runLoad } from './load.js';
import { processCpuSeconds } from './machine-load.js';
import { distDir, runNode, startMeasured, type Measured } from './processes.js';
import { freePort } from './scenarios.js';

const { values } = parseArgs({ options: { baseline: { type: 'string' }, backend: { type: 'string', default: 'sqlite' }, rounds: { type: 'string', default: '10' }, seconds: { type: 'string', default: '2' } } });
if (!values.baseline) throw new Error('--baseline <dist folder of the build to compare with> is required');
const builds = { baseline: values.baseline, this: distDir };
const backend = values.backend as Backend;
const script = join(distDir, 'src/main.js');
const db = await createBenchDatabase(backend, script);
const env = { DATABASE_URL: db.url, GATEHOUSE_DATA_DIR: db.dataDir, GATEHOUSE_ENV: 'development', LOG_LEVEL: 'warn', REDIS_URL: '', GATEHOUSE_WORKERS: '1' };
const servers: [string, Measured][] = [];
const cpu: Record<string, number[]> = {};
const rps: Record<string, number[]> = {};
try {
  const made = JSON.parse(await runNode(script, ['clients', 'create', '--name', 'bench', '--grant', 'client_credentials', '--scope', 'bench:read', '--json'], env)) as { client_id: string; client_secret: string };
  const authorization = `Basic ${Buffer.from(`${made.client_id}:${made.client_secret}`).toString('base64')}`;
  const requests = (): Request[] => [{ method: 'POST', path: '/oidc/token', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=bench%3Aread' }];
  for (const [name, dist] of Object.entries(builds)) {
    servers.push([name, await startMeasured({ script: join(dist, 'src/main.js'), args: ['serve'], env, port: await freePort(), readyPath: '/healthz', label: name })]);
  }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, server] of servers) {
      await runLoad({ url: server.url, connections: 50, seconds: 1, requests });
      const before = processCpuSeconds(server.child.pid ?? 0) ?? 0;
      const r = await runLoad({ url: server.url, connections: 50, seconds: Number(values.seconds), requests });
      const us = (((processCpuSeconds(server.child.pid ?? 0) ?? 0) - before) / Math.max(1, r.requests)) * 1e6;
      (cpu[name] ??= []).push(us);
      (rps[name] ??= []).push(r.rps);
      process.stdout.write(`round ${round + 1} ${name}: ${r.rps.toFixed(0)}/s  server CPU ${us.toFixed(0)} µs/req  load ${loadavg()[0]!.toFixed(1)}${r.non2xx ? `  NON-2XX ${r.non2xx} (${r.firstFailure})` : ''}\n`);
    }
  }
} finally {
  for (const [, server] of servers) await server.stop();
  await db.drop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const lower = (cpu.this ?? []).filter((x, i) => x < (cpu.baseline?.[i] ?? Infinity)).length;
for (const name of Object.keys(builds)) process.stdout.write(`${backend} ${name}: median ${median(rps[name] ?? []).toFixed(0)}/s, median server CPU ${median(cpu[name] ?? []).toFixed(0)} µs/req\n`);
process.stdout.write(`this build's CPU per request lower in ${lower} of ${cpu.this?.length ?? 0} rounds\n`);
