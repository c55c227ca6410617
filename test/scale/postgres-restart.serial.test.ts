import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sleep } from '../cache/support.js';
import { call, Deployment, describeScale } from './support/deployment.js';
import { eventually } from '../support/eventually.js';
import { testPassword } from '../support/passwords.js';

/**
 * Restarts the shared PostgreSQL, so it runs in the serial pass (`vitest.serial.config.ts`) after
 * every other suite, and only where asked: CI, or GATEHOUSE_FAULT_TESTS=1.
 */
const restartPostgres = Boolean(process.env.CI || process.env.GATEHOUSE_FAULT_TESTS === '1');

const password = testPassword;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describeScale('PostgreSQL restart under two instances', () => {
  let d: Deployment;

  beforeAll(async () => {
    d = await Deployment.start({ instances: 2 });
    const admin = await d.superuser();
    // Sign-ups are retried quickly while the database comes back; the limits are tested elsewhere.
    const relaxed = await call(d.instances[0]!.url, '/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { rate_register_ip: 100000, rate_login_ip: 10000 } });
    expect(relaxed.status).toBe(200);
  });
  afterAll(async () => {
    await d?.close();
  });

  it.runIf(restartPostgres)('rides out a PostgreSQL restart: 503 while it is down, never a 500, back without an instance restart', async () => {
    const alive = d.instances.map((i) => i.url);
    const version = readdirSync('/etc/postgresql')[0]!;
    const statuses: number[] = [];
    let running = true;
    // Refreshing an unknown token reads the database and is not rate-limited: 401 when it answers, 503 when not.
    const traffic = Promise.all(alive.map(async (base) => {
      while (running) {
        const res = await call(base, '/v1/auth/refresh', { body: { refresh_token: 'no-such-token' } }).catch(() => ({ status: 0 }));
        statuses.push(res.status);
        await sleep(20);
      }
    }));
    await sleep(200);
    // Not spawnSync: this process must keep reading the instances' output and its own sockets meanwhile.
    const restart = await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
    expect(restart.code, restart.output).toBe(0);
    let k = 0;
    for (const base of alive) {
      await eventually(`${base} to sign users up again`, async () => (await call(base, '/v1/auth/register', { body: { username: `after${++k}`, password } })).status === 201, 20_000, 100);
    }
    running = false;
    await traffic;
    expect(statuses.filter((s) => ![401, 503].includes(s))).toEqual([]);
    expect(statuses).toContain(503);
    for (const base of alive) expect((await call(base, '/readyz')).status).toBe(200);
  }, 60_000);
});
