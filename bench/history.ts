/**
 * `npm run bench -- history [--backend sqlite|postgres] [--scale 1]`: the same operations on an
 * empty database and on one with a history (bench/seed-history.ts: at scale 1, 10M audit events,
 * 1M users, 2M sessions and refresh tokens, 1M mails, 1M one-time codes), timed one request at a
 * time from this process against two Gatehouse instances sharing the database and Redis
 * (bench/history-server.ts), p50/p99 and the seeded/empty ratio printed per operation; then
 * steady /v1/me load with and without cleanup passes running on the seeded database.
 * Not part of the default run (seeding takes minutes); results go to bench/results/history-<date>.txt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../src/store/db.js';
import { benchPassword, benchSettings, createBenchDatabase, loginName, seedUsers, type Backend, type BenchDatabase } from './database.js';
import type { HistoryServerMessage } from './history-server.js';
import { runLoad } from './load.js';
import { distDir } from './processes.js';
import { meWithBearer } from './requests.js';
import { freePort } from './scenarios.js';
import { historySettings, scaledHistory, seedHistory } from './seed-history.js';

export interface HistoryOptions {
  scale: number;
  passwordHash: string;
  logLevel: string;
  /** Timed iterations per operation (logins and logouts: a quarter, each is an argon2id verify). */
  iterations: number;
  /** Seconds of /v1/me load each way in the cleanup-coexistence measurement. */
  loadSeconds: number;
  log: (line: string) => void;
}

/** The empty database: these users only (the measured user and the admin among them). */
const emptyUsers = 1000;
/** An ordinary user: not the admin, not first or last, with the same seeded history as everyone. */
const measuredUser = 500;
const adminUser = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  child: ChildProcess;
  url: string;
  readyMs: number;
  ready: Extract<HistoryServerMessage, { type: 'ready' }>;
  cleanup(): Promise<Extract<HistoryServerMessage, { type: 'cleaned' }>>;
  stop(): Promise<void>;
}

async function startInstance(db: BenchDatabase, options: HistoryOptions, redisPrefix: string): Promise<Instance> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(distDir, 'bench/history-server.js')], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      GATEHOUSE_DATA_DIR: db.dataDir,
      LOG_LEVEL: options.logLevel,
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: redisPrefix,
      GATEHOUSE_TRUST_PROXY: '127.0.0.1',
      // Both instances are one deployment: the same issuer, whatever port each listens on.
      GATEHOUSE_PUBLIC_URL: 'http://gatehouse.bench.example',
      GATEHOUSE_WORKERS: '1',
      GATEHOUSE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const messages: HistoryServerMessage[] = [];
  const waiting: (() => void)[] = [];
  child.on('message', (m: HistoryServerMessage) => {
    messages.push(m);
    waiting.splice(0).forEach((w) => w());
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
    waiting.splice(0).forEach((w) => w());
  });
  const next = async <T extends HistoryServerMessage['type']>(type: T): Promise<Extract<HistoryServerMessage, { type: T }>> => {
    for (;;) {
      const i = messages.findIndex((m) => m.type === type || m.type === 'failed');
      if (i >= 0) {
        const [m] = messages.splice(i, 1);
        if (m!.type === 'failed') throw new Error(`history server: ${m!.error}`);
        return m as Extract<HistoryServerMessage, { type: T }>;
      }
      if (exited) throw new Error(`history server exited:\n${output}`);
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`history server exited before it was ready:\n${output}`);
    if (performance.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`history server not ready after 120 s:\n${output}`);
    }
    const ok = await fetch(url + '/readyz').then((r) => (void r.arrayBuffer(), r.ok), () => false);
    if (ok) break;
    await sleep(5);
  }
  const readyMs = performance.now() - started;
  const ready = await next('ready');
  return {
    child,
    url,
    readyMs,
    ready,
    cleanup: () => (child.send({ type: 'cleanup' }), next('cleaned')),
    async stop() {
      if (exited) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

async function call(url: string, init: { method?: string; json?: unknown; token?: string; ip?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers['x-forwarded-for'] = init.ip;
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.json !== undefined ? JSON.stringify(init.json) : undefined });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function ok(url: string, init: Parameters<typeof call>[1] = {}): Promise<any> {
  const r = await call(url, init);
  if (r.status < 200 || r.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

interface Stat {
  p50: number;
  p99: number;
  n: number;
  note?: string;
}

function stat(times: number[], note?: string): Stat {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
  return { p50: at(0.5), p99: at(0.99), n: s.length, note };
}

interface Side {
  name: 'empty' | 'seeded';
  db: BenchDatabase;
  /** The instance timed, and the second instance (same database and Redis). */
  a: Instance;
  b: Instance;
  users: number;
  admin: string;
  first: LoginBody;
  refresh: string;
  ipSeq: number;
  reach: number[];
}

type LoginBody = { access_token: string; refresh_token: string; device_token: string };

/**
 * Two untimed runs on each side, then `n` timed ones alternating between the sides (and which
 * goes first), so whatever else loads the machine falls on both alike. `run` may return its own
 * time; otherwise the whole call is timed.
 */
async function interleaved(sides: Side[], n: number, run: (side: Side, i: number) => Promise<number | void>): Promise<number[][]> {
  for (let i = 0; i < 2; i++) for (const side of sides) await run(side, -1 - i);
  const out = sides.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < sides.length; k++) {
      const j = (i + k) % sides.length;
      const t = performance.now();
      const own = await run(sides[j]!, i);
      out[j]!.push(typeof own === 'number' ? own : performance.now() - t);
    }
  }
  return out;
}

const login = (base: string, user: number, extra: { ip?: string; device_token?: string } = {}) =>
  ok(`${base}/v1/auth/login`, { method: 'POST', json: { login: loginName(user), password: benchPassword, ...(extra.device_token ? { device_token: extra.device_token } : {}) }, ip: extra.ip ?? '192.0.2.10' }) as Promise<LoginBody>;

/** Every operation of the issue, interleaved over the sides; stats per operation, one per side. */
async function measureOperations(sides: Side[], options: HistoryOptions): Promise<Map<string, Stat[]>> {
  const n = options.iterations;
  const few = Math.max(5, Math.floor(n / 4));
  const stats = new Map<string, Stat[]>();
  const put = (op: string, times: number[][], note?: string) => stats.set(op, times.map((t) => stat(t, note)));
  put('login, new address', await interleaved(sides, few, async (s) => void (await login(s.a.url, measuredUser, { ip: `198.18.${(s.ipSeq >> 8) & 255}.${s.ipSeq++ & 255}` }))));
  put('login, known device', await interleaved(sides, few, async (s) => void (await login(s.a.url, measuredUser, { device_token: s.first.device_token }))));
  put('refresh', await interleaved(sides, n, async (s) => void (s.refresh = ((await ok(`${s.a.url}/v1/auth/refresh`, { method: 'POST', json: { refresh_token: s.refresh } })) as LoginBody).refresh_token)));
  put('GET /v1/me', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/me`, { token: s.first.access_token }))));
  put(
    'logout',
    await interleaved(sides, few, async (s, i) => {
      const session = await login(s.a.url, measuredUser);
      await ok(`${s.b.url}/v1/me`, { token: session.access_token });
      const t = performance.now();
      await ok(`${s.a.url}/v1/auth/logout`, { method: 'POST', token: session.access_token });
      const done = performance.now();
      while ((await call(`${s.b.url}/v1/me`, { token: session.access_token })).status === 200) {
        if (performance.now() - done > 10_000) throw new Error('logout did not reach the second instance within 10 s');
      }
      if (i >= 0) s.reach.push(performance.now() - done);
      return done - t;
    }),
  );
  put('logout reaches 2nd instance', sides.map((s) => s.reach), 'from the logout answered to the first 401 for that token on the other instance');
  const email = `${loginName(measuredUser)}@bench.example`;
  put('forgot-password', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/auth/password/forgot`, { method: 'POST', json: { email } }))));
  // Searches that match a few users, as bench/search.ts: users past the first tenth.
  const pick = (users: number) => Math.floor(users / 10) + Math.floor(Math.random() * (users - Math.floor(users / 10)));
  put('admin user search', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/admin/users?q=nch_${pick(s.users)}`, { token: s.admin }))));
  put('admin user list', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/admin/users`, { token: s.admin }))));
  put('admin audit page', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/admin/audit`, { token: s.admin }))));
  put('admin outbox page', await interleaved(sides, n, async (s) => void (await ok(`${s.a.url}/v1/admin/mail`, { token: s.admin }))));
  return stats;
}

async function cleanupPass(a: Instance): Promise<Stat> {
  const r = await a.cleanup();
  const rows = Object.values(r.counts ?? {}).reduce((x, y) => x + y, 0);
  return { p50: r.ms, p99: r.ms, n: 1, note: `${rows} rows deleted: ${JSON.stringify(r.counts)}` };
}

/** `count` restarts of each database's instance, alternating, with nothing else of this run up. */
async function restarts(dbs: BenchDatabase[], options: HistoryOptions, prefix: string, count: number): Promise<{ ready: Stat[]; rebuild: Stat[] }> {
  const ready = dbs.map(() => [] as number[]);
  const rebuild = dbs.map(() => [] as number[]);
  const imported = dbs.map(() => [] as number[]);
  const listening = dbs.map(() => [] as number[]);
  const revoked = dbs.map(() => 0);
  for (let i = 0; i < count; i++) {
    for (const [j, db] of dbs.entries()) {
      const s = await startInstance(db, options, prefix + j + ':');
      ready[j]!.push(s.readyMs);
      rebuild[j]!.push(s.ready.rebuildMs);
      imported[j]!.push(s.ready.importedMs);
      listening[j]!.push(s.ready.listeningMs);
      revoked[j] = s.ready.revoked;
      await s.stop();
    }
  }
  return {
    ready: ready.map((r, j) =>
      stat(r, `spawn to the first 200 from /readyz (the revocation set is rebuilt before listening); in the process: modules loaded at p50 ${stat(imported[j]!).p50.toFixed(0)} ms, listening at p50 ${stat(listening[j]!).p50.toFixed(0)} ms`),
    ),
    rebuild: rebuild.map((r, j) => stat(r, `a full revocation-set rebuild: ${revoked[j]} revoked sessions in the set`)),
  };
}

async function writeSettings(db: BenchDatabase): Promise<void> {
  const store = openStore(db.url);
  try {
    const now = Date.now();
    const all: Record<string, number> = { ...benchSettings, rate_reset_ip: 100_000, rate_reset_account: 100_000, ...historySettings };
    for (const [key, value] of Object.entries(all)) {
      const row = { key, value: JSON.stringify(value), updated_at: now, updated_by: null };
      await store.db.insertInto('settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
    }
    await sql`UPDATE users SET is_staff = 1, is_superuser = 1 WHERE id = ${adminUser}`.execute(store.db);
  } finally {
    await store.close();
  }
}

const passList = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return ms.length <= 12 ? `${ms.map((p) => p.toFixed(0)).join(', ')} ms` : `p50 ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms`;
};
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2)).padStart(8);

export async function runHistory(backend: Backend, options: HistoryOptions): Promise<string[]> {
  const lines: string[] = [];
  const log = (line: string) => (lines.push(line), options.log(line));
  const size = scaledHistory(options.scale);
  const prefix = `ghbench:${process.pid}:${backend}:`;
  const dbs: BenchDatabase[] = [];
  const instances: Instance[] = [];
  try {
    const empty = await createBenchDatabase(backend);
    dbs.push(empty);
    await seedUsers(empty, 1, emptyUsers, options.passwordHash);
    await writeSettings(empty);
    const seeded = await createBenchDatabase(backend);
    dbs.push(seeded);
    log(`  ${backend}: seeding ${JSON.stringify(size)} (load average ${loadavg()[0]!.toFixed(1)})`);
    const t = performance.now();
    log(`    seeded users (${size.users}) in ${(await seedUsers(seeded, 1, size.users, options.passwordHash)).toFixed(1)} s`);
    await writeSettings(seeded);
    await seedHistory(seeded, size, Date.now(), log);
    log(`  ${backend}: seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    const r = await restarts(dbs, options, prefix, 3);
    const sides: Side[] = [];
    for (const [j, db] of dbs.entries()) {
      const a = await startInstance(db, options, prefix + j + ':');
      instances.push(a);
      const b = await startInstance(db, options, prefix + j + ':');
      instances.push(b);
      const first = await login(a.url, measuredUser);
      sides.push({ name: j === 0 ? 'empty' : 'seeded', db, a, b, users: j === 0 ? emptyUsers : size.users, admin: (await login(a.url, adminUser)).access_token, first, refresh: first.refresh_token, ipSeq: j * 40_000, reach: [] });
    }
    log(`  ${backend}: measuring, empty and seeded interleaved (load average ${loadavg()[0]!.toFixed(1)})`);
    const stats = await measureOperations(sides, options);
    stats.set('cleanup pass', [await cleanupPass(sides[0]!.a), await cleanupPass(sides[1]!.a)]);
    stats.set('restart: ready', r.ready);
    stats.set('restart: revocation rebuild', r.rebuild);
    log(`  ${backend}: measured (load average ${loadavg()[0]!.toFixed(1)})`);
    const coexist = await coexistence(sides[1]!.a, options, backend);

    log('');
    log(`  ${backend}: operation                       empty p50/p99 ms     seeded p50/p99 ms   ratio p50  ratio p99`);
    const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(2) : '-').padStart(9);
    for (const [op, [e, s]] of stats) {
      log(`  ${backend}: ${op.padEnd(30)} ${fmt(e!.p50)} ${fmt(e!.p99)}      ${fmt(s!.p50)} ${fmt(s!.p99)}  ${ratio(s!.p50, e!.p50)}  ${ratio(s!.p99, e!.p99)}   (n=${s!.n})`);
    }
    for (const [op, pair] of stats) for (const [j, s] of pair.entries()) if (s.note) log(`  ${backend}: ${j === 0 ? 'empty' : 'seeded'} ${op}: ${s.note}`);
    for (const l of coexist) log(l);
    const search = stats.get('admin user search')![1]!;
    const ready = stats.get('restart: ready')![1]!;
    log(`  ${backend}: target search p50 < 50 ms at ${size.users} users: ${search.p50.toFixed(1)} ms, ${search.p50 < 50 ? 'met' : 'MISSED'}`);
    log(`  ${backend}: target restart ready < 2 s on the seeded database: p50 ${ready.p50.toFixed(0)} ms, ${ready.p50 < 2000 ? 'met' : 'MISSED'}`);
    const missed = [...stats].filter(([op, [e, s]]) => op !== 'cleanup pass' && s!.p50 > 1.2 * e!.p50).map(([op]) => op);
    log(`  ${backend}: target seeded p50 within 1.2x of empty: ${missed.length ? `MISSED by ${missed.join(', ')}` : 'met by every operation'} (the cleanup pass is compared by rows, not time: on the empty database it has nothing to delete)`);
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    for (const db of dbs) await db.drop();
  }
  return lines;
}

/** Steady /v1/me load (fixed rate), without and then with cleanup passes back to back; p99 both ways. */
async function coexistence(a: Instance, options: HistoryOptions, backend: Backend): Promise<string[]> {
  const sessions = [];
  for (const u of [measuredUser, measuredUser + 1, measuredUser + 2, measuredUser + 3]) {
    const s = await login(a.url, u);
    sessions.push({ access: s.access_token, refresh: s.refresh_token });
  }
  const load = { url: a.url, connections: 8, rate: 400, seconds: options.loadSeconds, requests: meWithBearer(sessions) };
  await runLoad({ ...load, seconds: 2 });
  const quiet = await runLoad(load);
  let running = true;
  const passes: number[] = [];
  let deleted = 0;
  const cleaning = (async () => {
    // Back to back while the load runs, as a backlog is worked off; a pass with nothing left to delete ends it.
    while (running) {
      const r = await a.cleanup();
      passes.push(r.ms);
      const rows = Object.values(r.counts ?? {}).reduce((x, y) => x + y, 0);
      deleted += rows;
      if (rows === 0) break;
    }
  })();
  const busy = await runLoad(load);
  running = false;
  await cleaning;
  const line = (r: typeof quiet) => `p50 ${r.latency.p50.toFixed(2)} ms p99 ${r.latency.p99.toFixed(2)} ms (${r.rps.toFixed(0)}/s, non-2xx ${r.non2xx})`;
  const out = [
    '',
    `  ${backend}: /v1/me at ${load.rate}/s over ${load.connections} connections, ${options.loadSeconds} s each:`,
    `  ${backend}:   without cleanup: ${line(quiet)}`,
    `  ${backend}:   with cleanup:    ${line(busy)}; ${passes.length} passes (${passList(passes)}) deleted ${deleted} rows`,
    `  ${backend}:   p99 ratio ${(busy.latency.p99 / quiet.latency.p99).toFixed(2)} (target <= 2: ${busy.latency.p99 <= 2 * quiet.latency.p99 ? 'met' : 'MISSED'})`,
  ];
  return out;
}
