/**
 * `npx tsx bench/verify.ts [--seconds 10] [--connections 50]`: a resource server's route with
 * @gatehouse/verify (a cached token) against the same bare route, in requests per second; the
 * target is ≥ 90 % of bare. A Gatehouse on SQLite in this process serves the JWKS and the feed; the
 * resource server is its own process (bench/verify-server.ts), autocannon a third.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createServiceKey } from '../src/core/service-keys.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } } });
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-verify-'));
const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
const gatehouse = await createApp(config, { migrate: true, mailWorker: false });
const base = await gatehouse.http.listen({ port: 0, host: '127.0.0.1' });
const { key } = await createServiceKey(gatehouse.core, { name: 'bench' });
const signup = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'benchuser', email: 'bench@example.com', password: 'a sturdy bench passphrase 42' }) });
const { access_token: token } = (await signup.json()) as { access_token: string };

const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/verify-server.ts')], {
  cwd: repoRoot,
  env: { PATH: process.env.PATH ?? '', ISSUER: config.jwtIssuer, SERVICE_KEY: key, JWKS_URL: `${base}/.well-known/jwks.json`, FEED_URL: `${base}/v1/revocations` },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => child.stdout!.on('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port)));
const target = `http://127.0.0.1:${port}`;
const check = await fetch(`${target}/verified`, { headers: { authorization: `Bearer ${token}` } });
if (check.status !== 200) throw new Error(`verified route answered ${check.status}`);

const run = async (path: string) => {
  const r = await autocannon({ url: `${target}${path}`, connections: Number(values.connections), duration: Number(values.seconds), headers: { authorization: `Bearer ${token}` } });
  if (r.non2xx || r.errors) throw new Error(`${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
};
// Warm both, then measure alternately.
await run('/bare');
await run('/verified');
const bare = await run('/bare');
const verified = await run('/verified');
process.stdout.write(`bare route     ${bare.toFixed(0)} req/s\nwith verify()  ${verified.toFixed(0)} req/s\nratio          ${((verified / bare) * 100).toFixed(1)} % of bare (target ≥ 90 %)\n`);
child.kill('SIGTERM');
gatehouse.http.server.closeAllConnections();
await gatehouse.close();
