/**
 * `npm run bench -- --totp-login [--rounds N] [--backend …] [--quick]`: what an authenticator app adds
 * to a login (issue 13: "a TOTP login adds < 1 ms of server CPU to a password login"). One server,
 * two kinds of seeded account, measured in alternating rounds (a b c, then c b a, …):
 *
 * - (a) password login of an account without MFA: POST /v1/auth/login → 200;
 * - (b) TOTP login: POST /v1/auth/login → 401 mfa_required, then POST /v1/auth/mfa/verify
 *   {mfa_token, code} → 200, the code computed with otpauth from the account's secret at real time;
 * - (c) a diagnostic: the TOTP accounts' first step alone (→ 401 mfa_required), so (b − a) splits
 *   into the first step's extra (c − a) and the verify's (b − c).
 *
 * Each load is measured from idle to idle (the server's CPU clock settled before and after) and
 * divided by the logins sent, so logins in flight at a load's end count on both sides.
 * BENCH_TOTP_ACCOUNTS sizes the TOTP pool (default 5,000).
 * The figure is the server process's CPU time per completed login, and the median of (b − a) over
 * rounds: argon2id dominates both, so one round's difference is mostly noise on a shared machine.
 * A code's step is spent once per account (replay protection), so (b) takes each account at most
 * once per 30 s step and the pool is seeded large enough for that.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { Secret, TOTP } from 'otpauth';
import type { Config } from '../src/config.js';
import { resolveSecretKey } from '../src/core/secret-key.js';
import { newTotpSecret, sealTotpSecret, totpDigits, totpPeriod } from '../src/core/mfa/totp.js';
import { openStore } from '../src/store/db.js';
import { confirmTotp, savePendingTotp } from '../src/store/mfa-repo.js';
import { benchPassword, createBenchDatabase, loginName, seedUsers, writeBenchSettings, type Backend, type BenchDatabase } from './database.js';
import { runLoad } from './load.js';
import { otherLoad, processCpuSplit } from './machine-load.js';
import type { Measured } from './processes.js';
import { loginCycle } from './requests.js';
import { startGatehouse, type RunOptions } from './scenarios.js';

const json = { 'content-type': 'application/json' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const currentStep = () => Math.floor(Date.now() / 1000 / totpPeriod);

/** Seeds accounts `from`..`to` with a confirmed authenticator app each; returns their base32 secrets by account number. */
async function seedTotp(db: BenchDatabase, from: number, to: number): Promise<Map<number, string>> {
  // The key the server will load from its data dir (generated here first, as the server would).
  const secretKey = resolveSecretKey({ secretKey: undefined, env: 'development', dataDir: db.dataDir } as Config).key;
  const secrets = new Map<number, string>();
  const store = openStore(db.url);
  try {
    const names = Array.from({ length: to - from + 1 }, (_, i) => loginName(from + i));
    const ids = new Map<string, number>();
    for (let i = 0; i < names.length; i += 500) {
      const rows = await store.db.selectFrom('users').select(['id', 'username']).where('username', 'in', names.slice(i, i + 500)).execute();
      for (const r of rows) ids.set(r.username, Number(r.id));
    }
    const now = Date.now();
    await store.db.transaction().execute(async (trx) => {
      for (let n = from; n <= to; n++) {
        const base32 = newTotpSecret();
        const userId = ids.get(loginName(n))!;
        if (!(await savePendingTotp(trx, userId, sealTotpSecret({ secretKey }, base32), now)) || !(await confirmTotp(trx, userId, -1, now))) {
          throw new Error(`could not enrol ${loginName(n)}`);
        }
        secrets.set(n, base32);
      }
    });
  } finally {
    await store.close();
  }
  return secrets;
}

/**
 * TOTP logins over `accounts`: each connection sends login then verify. An account is taken at most
 * once per time step (it is marked when its login is sent, so a login cut off by a load's end still
 * counts as its use).
 */
interface Counters {
  /** Logins sent: each first request, counted as autocannon builds it, just before writing it. */
  sent: number;
  /** Logins that ended in 200 (for TOTP: the verify). */
  done: number;
  starved: number;
}

function totpLoginCycle(accounts: number[], secrets: Map<number, string>, counters: Counters) {
  const lastStep = new Map<number, number>();
  const totps = new Map<number, TOTP>();
  let cursor = 0;
  const take = (): number => {
    const step = currentStep();
    for (let tried = 0; tried < accounts.length; tried++) {
      const n = accounts[cursor++ % accounts.length]!;
      if ((lastStep.get(n) ?? -1) < step) {
        lastStep.set(n, step);
        return n;
      }
    }
    counters.starved++;
    return accounts[cursor++ % accounts.length]!; // pool too small: this one will be refused, and the report says so
  };
  const codeOf = (n: number) => {
    let totp = totps.get(n);
    if (!totp) totps.set(n, (totp = new TOTP({ algorithm: 'SHA1', digits: totpDigits, period: totpPeriod, secret: Secret.fromBase32(secrets.get(n)!) })));
    return totp.generate({ timestamp: Date.now() });
  };
  return (): Request[] => {
    const state = { account: 0, mfaToken: '' };
    return [
      {
        method: 'POST',
        path: '/v1/auth/login',
        headers: json,
        setupRequest: (req) => {
          counters.sent++;
          state.account = take();
          return { ...req, body: JSON.stringify({ login: loginName(state.account), password: benchPassword }) };
        },
        onResponse: (status, body) => {
          state.mfaToken = status === 401 ? ((JSON.parse(body) as { mfa_token?: string }).mfa_token ?? '') : '';
        },
      },
      {
        method: 'POST',
        path: '/v1/auth/mfa/verify',
        headers: json,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ mfa_token: state.mfaToken, code: codeOf(state.account) }) }),
        onResponse: (status) => {
          if (status === 200) counters.done++;
        },
      },
    ];
  };
}

/** Password logins over `users`, counted as sent and as answered `okStatus` (the same bookkeeping as the TOTP case). */
function countedLogins(users: number[], counters: Counters, okStatus = 200) {
  const cycle = loginCycle(users);
  return (): Request[] =>
    cycle().map((r) => ({
      ...r,
      setupRequest: (req, context) => {
        counters.sent++;
        return (r.setupRequest as (req: Request, context: object) => Request)(req, context);
      },
      onResponse: (status: number) => {
        if (status === okStatus) counters.done++;
      },
    }));
}

/**
 * Waits until the server has finished the requests in flight when a load stopped (its CPU clock
 * stops moving), at most 5 s; then its CPU seconds, in all and outside its hashing threads.
 */
async function settledCpuSeconds(pid: number): Promise<{ total: number; rest: number }> {
  const read = () => {
    const split = processCpuSplit(pid) ?? { total: 0, hashing: 0 };
    return { total: split.total, rest: split.total - split.hashing };
  };
  let last = read();
  for (let quiet = 0, waited = 0; quiet < 3 && waited < 5000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    const now = read();
    quiet = now.total - last.total <= 0.01 ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

type Key = 'a' | 'b' | 'c';

interface Round {
  a: number;
  b: number;
  c: number;
  /** The same, outside the argon2id threads (both kinds of login hash the password once). */
  rest: Record<Key, number>;
  other?: number;
}

export async function benchTotpLogin(backend: Backend, options: RunOptions, rounds: number): Promise<string[]> {
  const { plan, log } = options;
  const connections = plan.hashConnections;
  // Generous: a TOTP login is at least one argon2id, so never more than ~hash rate × 30 s per step; 5,000 covers ~160 logins/s.
  const plainCount = plan.users;
  const totpCount = Number(process.env.BENCH_TOTP_ACCOUNTS ?? 5000);
  let db: BenchDatabase | undefined;
  let server: Measured | undefined;
  const lines: string[] = [];
  try {
    db = await createBenchDatabase(backend);
    await seedUsers(db, 1, plainCount + totpCount, options.passwordHash);
    await writeBenchSettings(db);
    const seeding = performance.now();
    const secrets = await seedTotp(db, plainCount + 1, plainCount + totpCount);
    log(`${backend}: ${plainCount} accounts without MFA, ${totpCount} with a confirmed authenticator app (enrolled in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`);
    // BENCH_TOTP_PROFILE=<file.cpuprofile>: the server's event loop under --cpu-prof for the whole run.
    const profDir = process.env.BENCH_TOTP_PROFILE ? mkdtempSync(join(db.dataDir, 'prof-')) : undefined;
    server = await startGatehouse(db, profDir ? { ...options, flags: ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '250'] } : options);
    const target = server;
    const plain = Array.from({ length: plainCount }, (_, i) => i + 1);
    const totpAccounts = Array.from({ length: totpCount }, (_, i) => plainCount + 1 + i);
    const totpCounters: Counters = { sent: 0, done: 0, starved: 0 };
    const cases = {
      a: { name: '(a) password login', counters: { sent: 0, done: 0, starved: 0 } as Counters, requests: () => countedLogins(plain, cases.a.counters) },
      b: { name: '(b) TOTP login', counters: totpCounters, requests: () => totpLoginCycle(totpAccounts, secrets, totpCounters) },
    };
    // One generator per case for the whole run, so the per-account step bookkeeping spans every load.
    // (c), a diagnostic: the TOTP accounts' password step alone (401 mfa_required, no code sent, so no step spent), to say which step costs what.
    const firstStep: Counters = { sent: 0, done: 0, starved: 0 };
    const generators = { a: cases.a.requests(), b: cases.b.requests(), c: countedLogins(totpAccounts, firstStep, 401) };
    const names = { a: cases.a.name, b: cases.b.name, c: '(c) TOTP step 1 only' };
    const counterOf = { a: cases.a.counters, b: totpCounters, c: firstStep };
    const measure = async (key: Key, seconds: number) => {
      const c = { counters: counterOf[key] };
      const pid = target.child.pid ?? 0;
      const [sentBefore, doneBefore] = [c.counters.sent, c.counters.done];
      // From idle to idle: the CPU of logins still in flight when the load stops is counted, and so are they
      // (by logins sent). What a TOTP login cut off after its first step never spends — its verify — is left out.
      const cpuBefore = await settledCpuSeconds(pid);
      const r = await runLoad({ url: target.url, connections, seconds, requests: generators[key] });
      const cpuAfter = await settledCpuSeconds(pid);
      const cpu = cpuAfter.total - cpuBefore.total;
      const restCpu = cpuAfter.rest - cpuBefore.rest;
      const sent = c.counters.sent - sentBefore;
      const done = c.counters.done - doneBefore;
      // A password login answers 200; a TOTP login 401 mfa_required, then 200. Anything else is a failure worth seeing.
      const unexpected = Math.max(0, r.non2xx - (key === 'a' ? 0 : sent)) + Math.max(0, sent - done - connections);
      return { sent, done, rate: done / seconds, cpuUs: (cpu / Math.max(1, sent)) * 1e6, restUs: (restCpu / Math.max(1, sent)) * 1e6, unexpected, firstFailure: r.firstFailure };
    };
    await measure('a', plan.warm);
    await measure('b', plan.warm);
    await measure('c', plan.warm);
    const results: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      const other = otherLoad(() => [process.pid, target.child.pid ?? 0]);
      const order: Key[] = round % 2 ? ['a', 'b', 'c'] : ['c', 'b', 'a'];
      const got: Partial<Record<Key, number>> = {};
      const rest: Partial<Record<Key, number>> = {};
      for (const key of order) {
        const m = await measure(key, plan.seconds);
        got[key] = m.cpuUs;
        rest[key] = m.restUs;
        const bad = m.unexpected > 0 ? `  FAILURES ~${m.unexpected} (first non-2xx: ${m.firstFailure})` : '';
        log(`  round ${round} ${names[key].padEnd(20)} ${m.rate.toFixed(1).padStart(6)} logins/s  ${m.done}/${m.sent} completed  server CPU ${(m.cpuUs / 1000).toFixed(2)} ms/login, ${(m.restUs / 1000).toFixed(2)} outside hashing${bad}`);
      }
      const busy = other();
      results.push({ a: got.a!, b: got.b!, c: got.c!, rest: rest as Record<Key, number>, other: busy });
      log(`  round ${round} difference (b − a) ${((got.b! - got.a!) / 1000).toFixed(2)} ms, outside hashing ${((rest.b! - rest.a!) / 1000).toFixed(3)} ms${busy !== undefined ? `  other load ${(busy * 100).toFixed(0)}% of the machine` : ''}`);
    }
    const diffs = results.map((r) => r.b - r.a).sort((x, y) => x - y);
    const ms = (us: number) => (us / 1000).toFixed(2);
    const others = results.map((r) => r.other).filter((o): o is number => o !== undefined);
    lines.push(
      `${backend}: medians of ${rounds} rounds of ${plan.seconds} s, ${connections} connections, server CPU time per completed login:`,
      `  (a) password login (no MFA)       ${ms(median(results.map((r) => r.a)))} ms  (rounds: ${results.map((r) => ms(r.a)).join(', ')})`,
      `  (b) TOTP login (login + verify)   ${ms(median(results.map((r) => r.b)))} ms  (rounds: ${results.map((r) => ms(r.b)).join(', ')})`,
      `  (c) TOTP account, step 1 only     ${ms(median(results.map((r) => r.c)))} ms  (rounds: ${results.map((r) => ms(r.c)).join(', ')}; diagnostic: (c − a) is the first step's extra, (b − c) the verify's)`,
      `  medians of the per-round (c − a) ${ms(median(results.map((r) => r.c - r.a)))} ms, (b − c) ${ms(median(results.map((r) => r.b - r.c)))} ms`,
      `  difference (b − a), median        ${ms(median(diffs))} ms  (per round: ${results.map((r) => ms(r.b - r.a)).join(', ')}; range ${ms(diffs[0]!)} to ${ms(diffs[diffs.length - 1]!)})`,
      `  outside the argon2id threads (both logins hash once; this leaves out that work's noise):`,
      `    (a) ${ms(median(results.map((r) => r.rest.a)))} ms, (b) ${ms(median(results.map((r) => r.rest.b)))} ms, (c) ${ms(median(results.map((r) => r.rest.c)))} ms per login`,
      `    difference (b − a), median ${(median(results.map((r) => r.rest.b - r.rest.a)) / 1000).toFixed(3)} ms  (per round: ${results.map((r) => ((r.rest.b - r.rest.a) / 1000).toFixed(3)).join(', ')})`,
      `  other load during the rounds: ${others.length ? others.map((o) => `${(o * 100).toFixed(0)}%`).join(', ') + ' of the machine' : 'not measured (no /proc)'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`,
      ...(totpCounters.starved ? [`  WARNING: ${totpCounters.starved} TOTP logins found no account unused in the current step (raise BENCH_TOTP_ACCOUNTS)`] : []),
    );
    for (const l of lines) log(l);
    if (profDir) {
      await server.stop();
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) copyFileSync(join(profDir, file), process.env.BENCH_TOTP_PROFILE!);
      rmSync(profDir, { recursive: true, force: true });
    }
    return lines;
  } finally {
    await server?.stop();
    await db?.drop();
  }
}
