/**
 * `npm run bench [-- --quick] [-- --backend sqlite|postgres] [-- --profile | --hot-path | --storm | --refresh-login | --oidc-token | --totp-login]`: builds (via the
 * npm script), then measures Gatehouse and its limits on this machine and writes
 * bench/results/<date>.json, .md and .svg.
 * `npm run bench -- history [--scale 1] [--backend …]` runs only the history scenario (bench/history.ts, not in
 * the default run: seeding 10M audit events takes minutes) and writes bench/results/history-<date>.txt.
 * `--totp-login [--rounds N]` (bench/totp-login.ts) writes bench/results/totp-login-<date>[-quick][-<backend>].txt.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { currentArgon2Params, hashPassword } from '../src/core/passwords/argon2.js';
import { renderChart } from './chart.js';
import { benchPassword, benchSettings, dropLiveDatabases, type Backend } from './database.js';
import { plans } from './plan.js';
import { renderMarkdown } from './report.js';
import type { BackendResult, RunResult } from './results.js';
import { runBackend } from './scenarios.js';
import { profileHotPath } from './profile.js';
import { compareHotPath } from './hot-path.js';
import { compareStorm } from './storm.js';
import { runHistory } from './history.js';
import { compareRefreshLogin } from './refresh-login.js';
import { benchOidcToken } from './oidc-token.js';
import { benchTotpLogin } from './totp-login.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'both' },
    profile: { type: 'boolean', default: false },
    'hot-path': { type: 'boolean', default: false },
    storm: { type: 'boolean', default: false },
    history: { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
    iterations: { type: 'string', default: '100' },
    'refresh-login': { type: 'boolean', default: false },
    'oidc-token': { type: 'boolean', default: false },
    'totp-login': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    out: { type: 'string' },
  },
});

const repoDir = fileURLToPath(new URL('../..', import.meta.url));
const outDir = values.out ?? join(repoDir, 'bench/results');
const plan = plans[values.quick ? 'quick' : 'full'];
const chosen: Backend[] = values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend as Backend];
if (!chosen.every((b) => b === 'sqlite' || b === 'postgres')) {
  process.stderr.write(`--backend must be sqlite, postgres or both, got ${values.backend}\n`);
  process.exit(2);
}
const log = (line: string) => process.stdout.write(line + '\n');
// Ctrl-C: the servers are our children and get the signal too; the bench databases are dropped here.
process.once('SIGINT', () => {
  log('interrupted: dropping the bench databases');
  void dropLiveDatabases().finally(() => process.exit(130));
});
const started = performance.now();
const loadAtStart = loadavg()[0]!;
const passwordHash = await hashPassword(benchPassword);
const options = { plan, passwordHash, flags: [] as string[], logLevel: values['log-level']!, log };

if (values['hot-path']) {
  for (const backend of chosen) await compareHotPath(backend, { ...options, plan: { ...plan, seconds: values.quick ? 2 : 5, warm: 2 } }, Number(values.rounds), values.baseline?.split(',').filter(Boolean));
  process.exit(0);
}

if (values.storm) {
  for (const backend of chosen) await compareStorm(backend, { ...options, plan: { ...plan, seconds: values.quick ? 3 : 5, warm: 1 } }, Number(values.rounds), values.baseline?.split(',').filter(Boolean));
  process.exit(0);
}

if (values['oidc-token']) {
  for (const backend of chosen) await benchOidcToken(backend, { ...options, plan: { ...plan, seconds: values.quick ? 3 : 10, warm: 2 } });
  process.exit(0);
}

if (values['refresh-login']) {
  for (const backend of chosen) await compareRefreshLogin(backend, { ...options, plan: { ...plan, seconds: values.quick ? 3 : 5, warm: 1 } }, Number(values.rounds), values.baseline?.split(',').filter(Boolean));
  process.exit(0);
}

if (values['totp-login']) {
  const lines = [`totp-login, ${plan.name} plan, ${new Date().toISOString()}, commit ${git('git rev-parse --short HEAD')}${git('git status --porcelain -- src bench') ? ' (with uncommitted changes)' : ''}`];
  lines.push(`machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, argon2id m=${currentArgon2Params.memoryCost} t=${currentArgon2Params.timeCost} p=${currentArgon2Params.parallelism}, uptime: ${execSync('uptime', { encoding: 'utf8' }).trim()}`);
  for (const backend of chosen) lines.push(...(await benchTotpLogin(backend, { ...options, plan: { ...plan, seconds: values.quick ? 3 : 10, warm: values.quick ? 1 : 2 } }, Number(values.rounds))));
  lines.push(`uptime at the end: ${execSync('uptime', { encoding: 'utf8' }).trim()}`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `totp-login-${new Date().toISOString().slice(0, 10)}${values.quick ? '-quick' : ''}${chosen.length === 1 ? `-${chosen[0]}` : ''}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  log(`wrote ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

if (values.history || positionals.includes('history')) {
  const lines: string[] = [`history scenario, scale ${values.scale}, ${new Date().toISOString()}, commit ${git('git rev-parse --short HEAD')}`];
  lines.push(`machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadAtStart.toFixed(1)} at start`);
  for (const backend of chosen) {
    const historyOptions = { scale: Number(values.scale), passwordHash, logLevel: values['log-level']!, iterations: Number(values.iterations), loadSeconds: values.quick ? 5 : 15, log };
    lines.push(...(await runHistory(backend, historyOptions)));
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `history-${new Date().toISOString().slice(0, 10)}${values.scale === '1' ? '' : `-scale${values.scale}`}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  log(`wrote ${file} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

if (values.profile) {
  mkdirSync(join(outDir, 'profiles'), { recursive: true });
  for (const backend of chosen) await profileHotPath(backend, { ...options, plan }, join(outDir, 'profiles'));
  process.exit(0);
}

const backends: BackendResult[] = [];
for (const backend of chosen) {
  log(`${backend}: ${plan.name} run, ${plan.seconds} s per scenario after ${plan.warm} s warm-up`);
  backends.push(await runBackend(backend, options));
}

const result: RunResult = {
  date: new Date().toISOString(),
  plan: plan.name,
  commit: git('git rev-parse --short HEAD') + (git('git status --porcelain -- src bench') ? ' (with uncommitted changes)' : ''),
  machine: {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: chosen.includes('postgres') ? await postgresVersion() : undefined,
    uvThreadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    loadAverage: { start: loadAtStart, end: loadavg()[0]! },
  },
  argon2: { ...currentArgon2Params },
  settings: benchSettings,
  backends,
  totalSeconds: (performance.now() - started) / 1000,
};

mkdirSync(outDir, { recursive: true });
const stem = result.date.slice(0, 10) + (plan.name === 'quick' ? '-quick' : '') + (chosen.length === 1 ? `-${chosen[0]}` : '');
writeFileSync(join(outDir, `${stem}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(outDir, `${stem}.svg`), renderChart(result));
writeFileSync(join(outDir, `${stem}.md`), renderMarkdown(result, `${stem}.svg`));
log(`\n${renderMarkdown(result, `${stem}.svg`)}`);
log(`wrote ${join(outDir, stem)}.{json,md,svg} in ${result.totalSeconds.toFixed(0)} s`);

function git(command: string): string {
  try {
    return execSync(command, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return ((await client.query('show server_version')).rows[0] as { server_version: string }).server_version;
  } finally {
    await client.end();
  }
}
