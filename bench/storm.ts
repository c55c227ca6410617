/**
 * `npm run bench -- --storm [--baseline dist1,dist2] [--rounds N]`: the mixed scenario alone —
 * a steady GET /v1/me probe, idle and then during a login storm — repeated in rounds, and for
 * other builds beside this one, so a change to how hashing is scheduled is judged in one run.
 */
import { basename, join } from 'node:path';
import { logInMany, spreadUsers } from './client.js';
import { createBenchDatabase, seedUsers, writeBenchSettings, type Backend } from './database.js';
import { runLoad } from './load.js';
import { pacedGet } from './paced.js';
import type { Measured } from './processes.js';
import { loginCycle } from './requests.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function compareStorm(backend: Backend, options: RunOptions, rounds: number, baselineDists: string[] = []): Promise<void> {
  const { plan, log } = options;
  const db = await createBenchDatabase(backend);
  const servers: [string, Measured][] = [];
  try {
    await seedUsers(db, 1, plan.users, options.passwordHash);
    await writeBenchSettings(db);
    servers.push(['this build', await startGatehouse(db, options)]);
    for (const dir of baselineDists) servers.push([basename(dir), await startGatehouse(db, options, join(dir, 'src/main.js'))]);
    const sessions = await logInMany(servers[0]![1].url, spreadUsers(4, plan.users));
    const headers = { authorization: `Bearer ${sessions[0]!.access}` };
    const users = Array.from({ length: plan.users }, (_, i) => i + 1);
    const rows = new Map<string, { idle: number; storm: number; eld: number; logins: number }[]>(servers.map(([n]) => [n, []]));
    for (const [, s] of servers) await pacedGet(s.url, '/v1/me', headers, plan.probeRate, plan.warm);
    for (let round = 1; round <= rounds; round++) {
      for (const [name, s] of servers) {
        const idle = await pacedGet(s.url, '/v1/me', headers, plan.probeRate, plan.seconds);
        const storm = runLoad({ url: s.url, connections: plan.hashConnections, seconds: plan.seconds + plan.warm + 1, requests: loginCycle(users) });
        await sleep(plan.warm * 1000);
        await s.probe('reset');
        const during = await pacedGet(s.url, '/v1/me', headers, plan.probeRate, plan.seconds);
        const eld = (await s.probe('reset')).eld.p99;
        const logins = await storm;
        rows.get(name)!.push({ idle: idle.latency.p99, storm: during.latency.p99, eld, logins: logins.rps });
        log(`  round ${round} ${name.padEnd(14)} /v1/me p99 idle ${idle.latency.p99.toFixed(2)} ms, storm ${during.latency.p99.toFixed(2)} ms (${(during.latency.p99 / idle.latency.p99).toFixed(1)}×); loop delay p99 ${eld} ms; logins ${logins.rps.toFixed(1)}/s${logins.non2xx ? ` NON-2XX ${logins.non2xx}` : ''}`);
        await sleep(1000);
      }
    }
    log(`${backend}, medians of ${rounds} rounds:`);
    for (const [name, list] of rows) {
      const idle = median(list.map((r) => r.idle));
      const storm = median(list.map((r) => r.storm));
      log(`  ${name.padEnd(14)} /v1/me p99 idle ${idle.toFixed(2)} ms, storm ${storm.toFixed(2)} ms (${(storm / idle).toFixed(1)}×); loop delay p99 ${median(list.map((r) => r.eld))} ms; logins ${median(list.map((r) => r.logins)).toFixed(1)}/s`);
    }
  } finally {
    for (const [, s] of servers) await s.stop();
    await db.drop();
  }
}
