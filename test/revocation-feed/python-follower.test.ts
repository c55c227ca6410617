import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { eventually, revokedSession, serviceKey } from './support.js';

const follower = fileURLToPath(new URL('../../docs/examples/revocation_follower.py', import.meta.url));
// Runs the documented follower in a thread and prints every sid it holds, once a second.
const harness = `
import importlib.util, sys, threading, time
spec = importlib.util.spec_from_file_location("follower", sys.argv[1])
f = importlib.util.module_from_spec(spec); spec.loader.exec_module(f)
threading.Thread(target=f.follow, daemon=True).start()
while True:
    with f.lock: print("held", " ".join(sorted(f.revoked)), flush=True)
    time.sleep(0.05)
`;

describe('the Python feed follower in docs/examples (SQLite, real port)', () => {
  let app: TestApp;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    app = await testApp('sqlite');
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    child?.kill();
    app?.http.server.closeAllConnections();
    await app?.close();
  });

  it('holds the sessions revoked before it started and those revoked while it runs', async () => {
    const base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    const { key } = await serviceKey(app);
    const before = await revokedSession(app);
    let out = '';
    child = spawn('python3', ['-c', harness, follower], { env: { ...process.env, GATEHOUSE_URL: base, GATEHOUSE_SERVICE_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const lastHeld = () => out.trim().split('\n').filter((l) => l.startsWith('held')).at(-1) ?? '';
    await eventually('the catch-up', () => out.includes('caught up') && lastHeld().includes(before.sid), 20_000);
    const during = await revokedSession(app);
    await eventually('the live revocation', () => lastHeld().includes(during.sid), 20_000);
    expect(lastHeld()).toContain(before.sid);
  });
});
