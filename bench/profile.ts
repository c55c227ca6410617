/** `npm run bench -- --profile`: the hot path (GET /v1/me, Bearer) under load with --cpu-prof, summarized. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logInMany, spreadUsers } from './client.js';
import { flameGraphSvg, summarize, summaryMarkdown } from './cpuprofile.js';
import { createBenchDatabase, seedUsers, writeBenchSettings, type Backend } from './database.js';
import { runLoad } from './load.js';
import { meWithBearer } from './requests.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

export async function profileHotPath(backend: Backend, options: RunOptions, outDir: string): Promise<void> {
  const { plan, log } = options;
  const db = await createBenchDatabase(backend);
  const profDir = mkdtempSync(join(db.dataDir, 'prof-'));
  try {
    await seedUsers(db, 1, plan.users, options.passwordHash);
    await writeBenchSettings(db);
    const server = await startGatehouse(db, { ...options, flags: ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '250'] });
    try {
      const sessions = await logInMany(server.url, spreadUsers(plan.connections, plan.users));
      const load = { url: server.url, connections: plan.connections, requests: meWithBearer(sessions) };
      await runLoad({ ...load, seconds: plan.warm });
      const r = await runLoad({ ...load, seconds: plan.seconds });
      log(`${backend} me-bearer under --cpu-prof (LOG_LEVEL=${options.logLevel}): ${r.rps.toFixed(0)} /s, p99 ${r.latency.p99} ms`);
    } finally {
      await server.stop();
    }
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const stem = join(outDir, `me-bearer-${backend}-${new Date().toISOString().slice(0, 10)}`);
    const md = summaryMarkdown(summarize(join(profDir, file)));
    writeFileSync(`${stem}.md`, md + '\n');
    writeFileSync(`${stem}.svg`, flameGraphSvg(join(profDir, file), `GET /v1/me (Bearer) on ${backend}, whole server lifetime`));
    log(md);
    log(`wrote ${stem}.md and ${stem}.svg`);
  } finally {
    rmSync(profDir, { recursive: true, force: true });
    await db.drop();
  }
}
