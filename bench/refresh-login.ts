/**
 * `npm run bench -- --refresh-login [--rounds N] [--baseline dir,…]`: refresh (rotation) and login
 * measured in alternation, several rounds, on this build and on any baseline builds (other dist/
 * folders, e.g. one made from HEAD before a change), each on a database of its own, with the raw
 * argon2id rate measured between rounds — so the issue-11 targets (rotations/s, login as a share
 * of argon2id) are judged by medians from one run on a shared machine.
 */
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type { Request } from 'autocannon';
import { logInMany, spreadUsers } from './client.js';
import { createBenchDatabase, seedUsers, writeBenchSettings, type Backend, type BenchDatabase } from './database.js';
import { runLoad } from './load.js';
import { processCpuSeconds } from './machine-load.js';
import { distDir, nodeFlags, runNode, type Measured } from './processes.js';
import { loginCycle, refreshChain } from './requests.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Case {
  name: string;
  target: Measured;
  connections: number;
  /** The requests for one load; refresh logs in fresh sessions each time (see below). */
  requests: () => Promise<(c: number) => Request[]>;
}

export async function compareRefreshLogin(backend: Backend, options: RunOptions, rounds: number, baselineDists: string[] = []): Promise<void> {
  const { plan, log } = options;
  const servers: Measured[] = [];
  const dbs: BenchDatabase[] = [];
  try {
    const builds: [string, string][] = [['this build', join(distDir, 'src/main.js')], ...baselineDists.map((d): [string, string] => [basename(d), join(d, 'src/main.js')])];
    const cases: Case[] = [];
    const allUsers = Array.from({ length: plan.users }, (_, i) => i + 1);
    for (const [name, script] of builds) {
      // A database of its own for each build, migrated by that build (their schemas may differ).
      const db = await createBenchDatabase(backend, script);
      dbs.push(db);
      await seedUsers(db, 1, plan.users, options.passwordHash);
      await writeBenchSettings(db);
      const server = await startGatehouse(db, options, script);
      servers.push(server);
      // Fresh chains for every load: a load that ends cuts rotations in flight, so the client never
      // learns their successors, and presenting the old token again after the grace window is reuse.
      const chains = async () => refreshChain(await logInMany(server.url, spreadUsers(plan.connections, plan.users)));
      cases.push({ name: `${name} refresh`, target: server, connections: plan.connections, requests: chains });
      cases.push({ name: `${name} login`, target: server, connections: plan.hashConnections, requests: async () => loginCycle(allUsers) });
    }
    const rows = new Map<string, { rps: number; cpuUs: number }[]>([...cases.map((c): [string, []] => [c.name, []]), ['raw argon2id', []]]);
    for (const c of cases) await runLoad({ url: c.target.url, connections: c.connections, seconds: plan.warm, requests: await c.requests() });
    for (let round = 1; round <= rounds; round++) {
      for (const c of cases) {
        const requests = await c.requests();
        const before = processCpuSeconds(c.target.child.pid ?? 0) ?? 0;
        const r = await runLoad({ url: c.target.url, connections: c.connections, seconds: plan.seconds, requests });
        const cpuUs = (((processCpuSeconds(c.target.child.pid ?? 0) ?? 0) - before) / Math.max(1, r.requests)) * 1e6;
        rows.get(c.name)!.push({ rps: r.rps, cpuUs });
        log(`  round ${round} ${c.name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} /s  p99 ${r.latency.p99.toFixed(2)} ms  server CPU ${cpuUs.toFixed(0)} µs/req${r.non2xx ? `  NON-2XX ${r.non2xx}` : ''}`);
      }
      // The limit login is judged against, as the main run measures it (best of cores and 4 in flight).
      let best = 0;
      for (const concurrency of [...new Set([availableParallelism(), 4])]) {
        const out = JSON.parse(await runNode(join(distDir, 'bench/hash-rate.js'), [String(concurrency), String(plan.seconds)], {}, nodeFlags())) as { rate: number };
        best = Math.max(best, out.rate);
      }
      rows.get('raw argon2id')!.push({ rps: best, cpuUs: 0 });
      log(`  round ${round} ${'raw argon2id'.padEnd(26)} ${best.toFixed(0).padStart(6)} /s`);
    }
    const hashRate = median(rows.get('raw argon2id')!.map((r) => r.rps));
    log(`${backend}, medians of ${rounds} rounds of ${plan.seconds} s:`);
    for (const [name, list] of rows) {
      const rps = median(list.map((r) => r.rps));
      const share = name.endsWith(' login') ? `  ${((rps / hashRate) * 100).toFixed(0)}% of raw argon2id` : '';
      const cpu = name === 'raw argon2id' ? '' : `  server CPU ${median(list.map((r) => r.cpuUs)).toFixed(0)} µs/req`;
      log(`  ${name.padEnd(26)} ${rps.toFixed(0).padStart(6)} /s${share}${cpu}`);
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const db of dbs) await db.drop();
  }
}
