/**
 * `node dist/bench/ready-ab.js --baseline <other build's dist> [--runs 5]` (after `tsc -p bench/tsconfig.json`):
 * restarts of the embedded default (`node <dist>/src/main.js serve` on one existing SQLite data dir,
 * memory cache, file mail), this build and a baseline build alternately, each timed from spawn to the
 * first 200 from `/readyz`, with the server's CPU time until then (from /proc/<pid>/stat), so a start-time
 * change is judged on a busy machine by medians of paired runs. The first start (keys generated,
 * migrations) is made once beforehand and not counted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { distDir } from './processes.js';
import { freePort } from './scenarios.js';

const { values } = parseArgs({ options: { baseline: { type: 'string' }, runs: { type: 'string', default: '5' } } });
if (!values.baseline) throw new Error('--baseline <dist folder of the build to compare with> is required');
const builds: [string, string][] = [['baseline', values.baseline], ['this', distDir]];
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-ready-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One start: wall ms to the first 200 from /readyz, and the server's CPU ms by then. */
async function start(dist: string): Promise<{ wallMs: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(dist, 'src/main.js'), 'serve'], {
    env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GATEHOUSE_ENV: 'development', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`server exited before it was ready:\n${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => (void r.arrayBuffer(), r.ok), () => false);
    if (ok) break;
    await sleep(5);
  }
  const wallMs = performance.now() - started;
  // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  await gone;
  return { wallMs, cpuMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await start(distDir);
const results: Record<string, { wallMs: number; cpuMs: number }[]> = { baseline: [], this: [] };
console.log(`load average ${loadavg()[0]!.toFixed(2)} at start`);
for (let i = 0; i < Number(values.runs); i++) {
  for (const [name, dist] of i % 2 === 0 ? builds : [...builds].reverse()) {
    const r = await start(dist);
    results[name]!.push(r);
    console.log(`${name.padEnd(8)} ready ${r.wallMs.toFixed(0).padStart(6)} ms, server CPU ${String(r.cpuMs).padStart(5)} ms (load ${loadavg()[0]!.toFixed(2)})`);
  }
}
for (const [name, rs] of Object.entries(results)) {
  console.log(`${name.padEnd(8)} median ready ${median(rs.map((r) => r.wallMs)).toFixed(0)} ms, median server CPU ${median(rs.map((r) => r.cpuMs))} ms`);
}
console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
