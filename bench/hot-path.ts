/**
 * `npm run bench -- --hot-path [--rounds N]`: the bare route and GET /v1/me (Bearer, Token)
 * measured in alternation, several rounds, so a change to the hot path can be judged by
 * medians from one run rather than by two runs minutes apart on a shared machine.
 */
import { basename, join } from 'node:path';
import { createApiKey, fetchMe, logInMany, spreadUsers } from './client.js';
import { createBenchDatabase, seedUsers, writeBenchSettings, type Backend } from './database.js';
import { runLoad } from './load.js';
import { processCpuSeconds } from './machine-load.js';
import { distDir, startMeasured, type Measured } from './processes.js';
import { bareMe, meWithApiKey, meWithBearer } from './requests.js';
import { freePort, startGatehouse, type RunOptions } from './scenarios.js';
import type { Request } from 'autocannon';

interface Row {
  rps: number;
  p99: number;
  cpuUs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `baselineDists`: other builds' dist/ folders (e.g. a copy made before a change), each run beside this one on the same database. */
export async function compareHotPath(backend: Backend, options: RunOptions, rounds: number, baselineDists: string[] = []): Promise<void> {
  const { plan, log } = options;
  const db = await createBenchDatabase(backend);
  let server: Measured | undefined;
  let bare: Measured | undefined;
  const baselines: Measured[] = [];
  try {
    await seedUsers(db, 1, plan.users, options.passwordHash);
    await writeBenchSettings(db);
    // Sessions and keys are made through a server that is then stopped, so every measured server
    // starts alike (the one that had served the logins measured up to 30% slower than its twin).
    const setup = await startGatehouse(db, options);
    const sessions = await logInMany(setup.url, spreadUsers(plan.connections, plan.users));
    const keys = await Promise.all(sessions.map((s) => createApiKey(setup.url, s.access)));
    const body = await fetchMe(setup.url, sessions[0]!.access);
    await setup.stop();
    server = await startGatehouse(db, options);
    bare = await startMeasured({ script: join(distDir, 'bench/bare-server.js'), env: { BENCH_BODY: body }, port: await freePort(), readyPath: '/v1/me', flags: options.flags, label: 'bare route' });
    const cases: [string, Measured, (c: number) => Request[]][] = [
      ['bare route', bare, bareMe()],
      ['me-bearer', server, meWithBearer(sessions)],
      ['me-token', server, meWithApiKey(keys)],
    ];
    for (const dir of baselineDists) {
      const other = await startGatehouse(db, options, join(dir, 'src/main.js'));
      baselines.push(other);
      cases.push([`${basename(dir)} bearer`, other, meWithBearer(sessions)], [`${basename(dir)} token`, other, meWithApiKey(keys)]);
    }
    const rows = new Map<string, Row[]>(cases.map(([name]) => [name, []]));
    for (const [, target, requests] of cases) await runLoad({ url: target.url, connections: plan.connections, seconds: plan.warm, requests });
    for (let round = 1; round <= rounds; round++) {
      for (const [name, target, requests] of cases) {
        const before = processCpuSeconds(target.child.pid ?? 0) ?? 0;
        const r = await runLoad({ url: target.url, connections: plan.connections, seconds: plan.seconds, requests });
        const cpuUs = (((processCpuSeconds(target.child.pid ?? 0) ?? 0) - before) / Math.max(1, r.requests)) * 1e6;
        rows.get(name)!.push({ rps: r.rps, p99: r.latency.p99, cpuUs });
        log(`  round ${round} ${name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} /s  p99 ${r.latency.p99.toFixed(2)} ms  server CPU ${cpuUs.toFixed(1)} µs/req${r.non2xx ? `  NON-2XX ${r.non2xx}` : ''}`);
      }
    }
    const bareRps = median(rows.get('bare route')!.map((r) => r.rps));
    const bareCpu = median(rows.get('bare route')!.map((r) => r.cpuUs));
    log(`${backend}, medians of ${rounds} rounds of ${plan.seconds} s:`);
    for (const [name, list] of rows) {
      const rps = median(list.map((r) => r.rps));
      const cpu = median(list.map((r) => r.cpuUs));
      log(`  ${name.padEnd(20)} ${rps.toFixed(0).padStart(6)} /s (${((rps / bareRps) * 100).toFixed(0)}% of bare)  p99 ${median(list.map((r) => r.p99)).toFixed(2)} ms  server CPU ${cpu.toFixed(1)} µs/req (${(cpu / bareCpu).toFixed(2)}× bare)`);
    }
  } finally {
    await bare?.stop();
    for (const b of baselines) await b.stop();
    await server?.stop();
    await db.drop();
  }
}
