import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { availableParallelism } from 'node:os';
import { resolveWorkers } from '../../src/cli/serve.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { call, Deployment, describeScale } from './support/deployment.js';
import { eventually } from '../support/eventually.js';

/** GET on a fresh connection each time (keep-alive would pin every request to one worker). */
function getFresh(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** `gatehouse serve --workers 2`: one primary, two worker processes sharing the port. */
describeScale('serve --workers', () => {
  let d: Deployment;
  let base: string;

  beforeAll(async () => {
    d = await Deployment.start({ instances: 0 });
  });
  afterAll(async () => {
    await d?.close();
  });

  const workerPids = (lines: { msg: string; pid?: unknown }[]) => [...new Set(lines.filter((l) => l.msg === 'worker ready').map((l) => Number(l.pid)))];

  it('serves from every worker, merges their metrics, replaces a dead one and stops them all on SIGTERM', async () => {
    const cluster = d.addInstance('cluster');
    await cluster.start(['--workers', '2']);
    base = cluster.url;
    await eventually('two workers', async () => workerPids(cluster.logs()).length === 2);
    expect(cluster.output.join('\n')).toContain('workers      2 processes');

    for (let i = 0; i < 30; i++) expect(await getFresh(`${base}/healthz`)).toBe(200);
    const served = new Set(cluster.logs().filter((l) => l.msg === 'request completed').map((l) => l.pid));
    expect(served.size).toBe(2);

    // Whichever worker answers /metrics, it reports every worker's requests (the primary merges them).
    const metrics = await call(base, '/metrics');
    expect(metrics.status).toBe(200);
    const line = String(metrics.body).split('\n').find((l) => l.startsWith('gatehouse_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'));
    expect(Number(line?.split(' ')[1])).toBe(30);

    // A worker killed outright is replaced, and the port keeps answering meanwhile.
    const [victim] = workerPids(cluster.logs());
    process.kill(victim!, 'SIGKILL');
    await eventually('a replacement worker', async () => workerPids(cluster.logs()).length === 3, 20_000);
    for (let i = 0; i < 10; i++) expect(await getFresh(`${base}/healthz`)).toBe(200);

    expect(await cluster.stop('SIGTERM')).toBe(0);
    const done = cluster.logs().filter((l) => l.msg === 'shutdown complete');
    // Both live workers and the primary.
    expect(done.length).toBe(3);
  });

  it('refuses more than one worker without Redis, naming what is missing', () => {
    const result = spawnSync(process.execPath, cliArgs(['serve', '--workers', '2']), {
      cwd: new URL('../../', import.meta.url),
      env: { PATH: process.env.PATH ?? '', GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-workers-')) },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('GATEHOUSE_WORKERS: 2 worker processes need REDIS_URL');
  });

  it('takes --workers over GATEHOUSE_WORKERS, and auto means the core count', () => {
    const config = loadConfig({ GATEHOUSE_WORKERS: '3', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(resolveWorkers(config)).toBe(3);
    expect(resolveWorkers(config, { workers: '2' })).toBe(2);
    expect(resolveWorkers(config, { workers: 'auto' })).toBe(availableParallelism());
    expect(() => resolveWorkers(config, { workers: 'lots' })).toThrow('--workers: expected a number from 1 to 256 or "auto"');
    expect(() => resolveWorkers(config, { workers: '0' })).toThrow(ConfigError);
    if (availableParallelism() > 1) expect(() => resolveWorkers(loadConfig({ GATEHOUSE_WORKERS: 'auto' }), {})).toThrow(/need REDIS_URL/);
    expect(resolveWorkers(loadConfig({}), {})).toBe(1);
  });
});
