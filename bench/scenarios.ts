/** One backend's whole run: limits first, then every scenario against the same server. */
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createApiKey, fetchMe, logInMany, spreadUsers } from './client.js';
import { countUsers, createBenchDatabase, seedUsers, writeBenchSettings, type Backend, type BenchDatabase } from './database.js';
import { runLoad, type LoadOptions } from './load.js';
import { pacedGet } from './paced.js';
import type { Plan } from './plan.js';
import { distDir, nodeFlags, peakRss, runNode, startMeasured, type Measured } from './processes.js';
import { bareMe, loginCycle, meWithApiKey, meWithBearer, refreshChain, registration } from './requests.js';
import { fromLoad, fromPaced, type BackendResult, type ScenarioResult } from './results.js';
import { evaluateTargets } from './targets.js';
import { otherLoad, processCpuSeconds } from './machine-load.js';

export interface RunOptions {
  plan: Plan;
  passwordHash: string;
  /** Extra Node flags for the measured processes (e.g. --cpu-prof). */
  flags: string[];
  logLevel: string;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startGatehouse(db: BenchDatabase, options: RunOptions, script = join(distDir, 'src/main.js')): Promise<Measured> {
  return startMeasured({
    script,
    args: ['serve'],
    env: { DATABASE_URL: db.url, GATEHOUSE_DATA_DIR: db.dataDir, LOG_LEVEL: options.logLevel, REDIS_URL: '', GATEHOUSE_WORKERS: '1', GATEHOUSE_ENV: 'development' },
    port: await freePort(),
    readyPath: '/healthz',
    flags: options.flags,
    label: 'gatehouse',
  });
}

/** Warm-up, then a measured load with the server's event-loop delay and peak RSS over just that window. */
async function measured(server: Measured, load: Omit<LoadOptions, 'url' | 'seconds'>, plan: Plan, id: string, title: string): Promise<ScenarioResult> {
  await runLoad({ ...load, url: server.url, seconds: plan.warm });
  await server.probe('reset');
  const other = otherLoad(() => [process.pid, server.child.pid ?? 0]);
  const cpuBefore = processCpuSeconds(server.child.pid ?? 0);
  const running = runLoad({ ...load, url: server.url, seconds: plan.seconds });
  const rssPeak = await peakRss(server, running);
  const result = await running;
  const cpuAfter = processCpuSeconds(server.child.pid ?? 0);
  const served = result.requests;
  const cpuPerRequestUs = cpuBefore !== undefined && cpuAfter !== undefined && served > 0 ? ((cpuAfter - cpuBefore) / served) * 1e6 : undefined;
  return { ...fromLoad(id, title, result, await server.probe('reset'), rssPeak), otherCpu: other(), cpuPerRequestUs };
}

export async function runBackend(backend: Backend, options: RunOptions): Promise<BackendResult> {
  const { plan, log } = options;
  const db = await createBenchDatabase(backend);
  const scenarios: ScenarioResult[] = [];
  const push = (s: ScenarioResult) => {
    scenarios.push(s);
    const ratio = s.ratio !== undefined ? `  ${(s.ratio * 100).toFixed(0)}% of ${s.limit?.id}` : '';
    const lat = s.latency ? `  p50 ${s.latency.p50.toFixed(2)} ms  p99 ${s.latency.p99.toFixed(2)} ms` : '';
    const bad = s.non2xx ? `  NON-2XX ${s.non2xx}: ${s.firstFailure ?? ''}` : '';
    const busy = s.otherCpu !== undefined ? `  other load ${(s.otherCpu * 100).toFixed(0)}%` : '';
    const cpu = s.cpuPerRequestUs !== undefined ? `  server CPU ${s.cpuPerRequestUs.toFixed(0)} µs/req` : '';
    log(`  ${backend.padEnd(8)} ${s.id.padEnd(22)} ${s.rps.toFixed(1).padStart(9)} /s${lat}${ratio}${cpu}${s.eldP99 !== undefined ? `  loop delay p99 ${s.eldP99} ms` : ''}${busy}${bad}`);
  };
  let server: Measured | undefined;
  try {
    const seed1k = await seedUsers(db, 1, plan.users, options.passwordHash);
    await writeBenchSettings(db);
    server = await startGatehouse(db, options);
    const ready1k = server.readyMs;
    log(`  ${backend}: ${plan.users} users seeded in ${seed1k.toFixed(2)} s; first start (keys generated) ready in ${ready1k.toFixed(0)} ms`);
    await sleep(500);
    const idleRss = (await server.probe()).rss;

    const sessions = await logInMany(server.url, spreadUsers(plan.connections, plan.users));
    const meBody = await fetchMe(server.url, sessions[0]!.access);

    // The limits, measured next to the scenarios they bound.
    const bare = await startMeasured({ script: join(distDir, 'bench/bare-server.js'), env: { BENCH_BODY: meBody }, port: await freePort(), readyPath: '/v1/me', flags: options.flags, label: 'bare route' });
    const bareResult = await measured(bare, { connections: plan.connections, requests: bareMe() }, plan, 'limit-bare-route', 'Limit: bare Fastify route, same JSON, no auth');
    await bare.stop();
    push(bareResult);
    // The machine's raw argon2id rate: the library on Node's libuv pool, as many in flight as there
    // are cores and as the pool allows (4), whichever is faster.
    let hasher = 0;
    const hashOther = otherLoad(() => [process.pid, hasher]);
    const rates: { rate: number; verifyRate: number; concurrency: number }[] = [];
    for (const concurrency of [...new Set([availableParallelism(), 4])]) {
      const out = await runNode(join(distDir, 'bench/hash-rate.js'), [String(concurrency), String(plan.seconds)], {}, nodeFlags(options.flags.filter((f) => !f.startsWith('--cpu-prof'))), (pid) => (hasher = pid));
      rates.push(JSON.parse(out) as { rate: number; verifyRate: number; concurrency: number });
    }
    const best = rates.reduce((a, b) => (b.rate > a.rate ? b : a));
    const hashLimit: ScenarioResult = { id: 'limit-argon2id', title: `Limit: raw argon2id hashes/s (best of ${rates.map((r) => r.concurrency).join(' and ')} in flight)`, rps: best.rate, detail: { best, all: rates }, otherCpu: hashOther() };
    push(hashLimit);
    const vsBare = (s: ScenarioResult) => ({ ...s, limit: { id: bareResult.id, rps: bareResult.rps }, ratio: s.rps / bareResult.rps });
    const vsHash = (s: ScenarioResult) => ({ ...s, limit: { id: hashLimit.id, rps: hashLimit.rps }, ratio: s.rps / hashLimit.rps });

    push(vsBare(await measured(server, { connections: plan.connections, requests: meWithBearer(sessions) }, plan, 'me-bearer', 'GET /v1/me, Bearer access token')));
    const keys = await Promise.all(sessions.map((s) => createApiKey(server!.url, s.access)));
    push(vsBare(await measured(server, { connections: plan.connections, requests: meWithApiKey(keys) }, plan, 'me-token', 'GET /v1/me, Token API key')));
    const allUsers = Array.from({ length: plan.users }, (_, i) => i + 1);
    push(vsHash(await measured(server, { connections: plan.hashConnections, requests: loginCycle(allUsers) }, plan, 'login', 'POST /v1/auth/login')));
    push(vsBare(await measured(server, { connections: plan.connections, requests: refreshChain(sessions) }, plan, 'refresh', 'POST /v1/auth/refresh (rotation)')));
    push(vsHash(await measured(server, { connections: plan.hashConnections, requests: registration(`${backend}${Date.now().toString(36)}`) }, plan, 'register', 'POST /v1/auth/register')));

    // Mixed: a steady /v1/me probe alone, then the same probe while logins saturate the hashing pool.
    const probeHeaders = { authorization: `Bearer ${sessions[0]!.access}` };
    await pacedGet(server.url, '/v1/me', probeHeaders, plan.probeRate, plan.warm);
    await server.probe('reset');
    const pids = () => [process.pid, server!.child.pid ?? 0];
    let other = otherLoad(pids);
    const idle = fromPaced('mixed-me-idle', `GET /v1/me at ${plan.probeRate}/s, idle`, await pacedGet(server.url, '/v1/me', probeHeaders, plan.probeRate, plan.seconds), await server.probe('reset'));
    push({ ...idle, otherCpu: other() });
    const storm = runLoad({ url: server.url, connections: plan.hashConnections, seconds: plan.seconds + plan.warm + 1, requests: loginCycle(allUsers) });
    await sleep(plan.warm * 1000);
    await server.probe('reset');
    other = otherLoad(pids);
    const during = fromPaced('mixed-me-storm', `GET /v1/me at ${plan.probeRate}/s, during a login storm`, await pacedGet(server.url, '/v1/me', probeHeaders, plan.probeRate, plan.seconds), await server.probe('reset'));
    const stormResult = await storm;
    push({ ...during, otherCpu: other(), limit: { id: idle.id, rps: idle.rps }, detail: { ...during.detail, p99VsIdle: during.latency!.p99 / idle.latency!.p99, stormLoginRps: stormResult.rps, stormLoginNon2xx: stormResult.non2xx } });

    await sleep(1000);
    const afterLoad = (await server.probe()).rss;
    await server.stop();

    // Scale: the same /v1/me and login load with plan.users, then with plan.scaleUsers, on one
    // server process: the users are added while it runs. (Two processes of the same build differ by
    // up to ±15% on /v1/me, more than the effect being measured; a server's history matters too,
    // so this one is freshly restarted, and the second half runs after the first.)
    const scaleRun = async (label: string, total: number) => {
      const s = await logInMany(server!.url, spreadUsers(plan.connections, total));
      push(vsBare(await measured(server!, { connections: plan.connections, requests: meWithBearer(s) }, plan, `scale-me-${label}`, `GET /v1/me, ${label} users`)));
      // One login at a time: its latency is one hash plus Gatehouse's work, with no queueing to blur it.
      const login = await measured(server!, { connections: 1, requests: loginCycle(spreadUsers(1000, total)) }, plan, `scale-login-${label}`, `POST /v1/auth/login (1 connection), ${label} users`);
      // Its limit is the same measurement with few users.
      push(firstLogin ? { ...login, limit: { id: firstLogin.id, rps: firstLogin.rps }, ratio: login.rps / firstLogin.rps } : login);
      firstLogin ??= login;
    };
    let firstLogin: ScenarioResult | undefined;
    const small = label(plan.users);
    const big = label(plan.scaleUsers);
    // A restart of a server whose database and keys exist: the everyday start.
    server = await startGatehouse(db, options);
    const restart1k = server.readyMs;
    log(`  ${backend}: restarted in ${restart1k.toFixed(0)} ms`);
    await scaleRun(small, plan.users);
    const existing = await countUsers(db);
    const seedScale = await seedUsers(db, plan.users + 1, plan.scaleUsers, options.passwordHash);
    log(`  ${backend}: seeded ${plan.scaleUsers - plan.users} more users (${existing} → ${existing + plan.scaleUsers - plan.users}) in ${seedScale.toFixed(1)} s, server running`);
    await scaleRun(big, plan.scaleUsers);
    await server.stop();
    server = await startGatehouse(db, options);
    const readyScale = server.readyMs;
    log(`  ${backend}: restarted in ${readyScale.toFixed(0)} ms with ${big} users`);
    await server.stop();
    server = undefined;

    const result: BackendResult = {
      backend,
      readyMs: { firstStart: ready1k, restart: restart1k, restartScale: readyScale },
      rss: { idle: idleRss, afterLoad, peak: Math.max(...scenarios.map((s) => s.rssPeak ?? 0)) },
      seedSeconds: { users1k: seed1k, usersScale: seedScale },
      scenarios,
      targets: [],
    };
    result.targets = evaluateTargets(result, plan);
    return result;
  } finally {
    await server?.stop();
    await db.drop().catch((err) => log(`  could not drop the bench database: ${String(err)}`));
  }
}

function label(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
}
