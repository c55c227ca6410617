import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, RedisServerProcess, sleep } from '../cache/support.js';
import { call, clientIp, Deployment, deliveredMail, describeScale } from './support/deployment.js';
import { eventually } from '../support/eventually.js';
import { testPassword } from '../support/passwords.js';

const password = testPassword;

/**
 * Faults under three real instances, in order: Redis goes away and comes back (a throwaway
 * redis-server of this suite's own), one instance is stopped under load. The PostgreSQL restart
 * is in postgres-restart.serial.test.ts, which runs alone after every other suite.
 */
describeScale('faults under three instances', () => {
  let redis: RedisServerProcess;
  let d: Deployment;
  let A: string;
  let B: string;
  let C: string;
  let admin: { token: string };

  beforeAll(async () => {
    redis = new RedisServerProcess(await freePort());
    await redis.start();
    d = await Deployment.start({ instances: 3, redisUrl: redis.url });
    [A, B, C] = d.instances.map((i) => i.url) as [string, string, string];
    admin = await d.superuser();
    // This suite logs one account in many times; the limits themselves are tested elsewhere.
    const relaxed = await call(A, '/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { rate_login_account: 10000, rate_login_ip: 10000 } });
    expect(relaxed.status).toBe(200);
  });
  afterAll(async () => {
    await d?.close();
    await redis?.stop();
  });

  const login = (base: string, who: string) => call(base, '/v1/auth/login', { body: { login: who, password } });
  const readiness = async (base: string) => (await call(base, '/readyz')).body;

  it('keeps serving while Redis is down, still revokes everywhere within a second, and recovers on its own', async () => {
    const reg = await call(A, '/v1/auth/register', { body: { username: 'rita', email: 'rita@example.com', password } });
    expect(reg.status).toBe(201);

    await redis.stop();
    for (const base of [A, B, C]) {
      await eventually(`${base} to report Redis down`, async () => (await call(base, '/readyz')).status === 503);
      const body = await readiness(base);
      expect(body.checks).toEqual({ database: 'ok', redis: 'unavailable' });
      expect(body.degraded).toContain('rate limits counted per instance');
    }
    for (const instance of d.instances) {
      await eventually(`${instance.name} to log the outage`, async () => instance.logs().some((l) => l.level === 40 && /^redis unavailable/.test(l.msg)));
    }

    // Still serving: logins (rate limits fall back to per-instance counting) and the memory check.
    const session = await login(A, 'rita');
    expect(session.status).toBe(200);
    const token = session.body.access_token as string;
    for (const base of [A, B, C]) expect((await call(base, '/v1/me', { token })).status).toBe(200);

    // Revocation cannot travel by pub/sub: the database poll carries it, within a second.
    expect((await call(B, '/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    for (const base of [C, A]) await eventually(`${base} to refuse the logged-out token`, async () => (await call(base, '/v1/me', { token })).status === 401, 1000, 10);

    // A settings change made on C reaches A too.
    expect((await call(C, '/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { access_token_ttl: 654 } })).status).toBe(200);
    await eventually('A to use the new lifetime', async () => (await login(A, 'rita')).body.expires_in === 654, 2000, 50);

    await redis.start();
    for (const base of [A, B, C]) {
      await eventually(`${base} to report Redis back`, async () => (await call(base, '/readyz')).status === 200, 15_000, 50);
    }
    for (const instance of d.instances) {
      await eventually(`${instance.name} to log the rebuild`, async () => instance.logs().some((l) => l.msg === 'cache state rebuilt from the database after a Redis reconnect'));
    }
    // And pub/sub carries revocations again.
    const again = (await login(B, 'rita')).body.access_token as string;
    expect((await call(C, '/v1/me', { token: again })).status).toBe(200);
    expect((await call(A, '/v1/auth/logout', { method: 'POST', token: again })).status).toBe(204);
    await eventually('C to refuse it', async () => (await call(C, '/v1/me', { token: again })).status === 401, 1000, 5);
  });

  it('stops an instance on SIGTERM under load: its in-flight requests finish, the others fail nothing, no mail is lost', async () => {
    // Every sign-up now queues a verification mail.
    expect((await call(B, '/v1/admin/settings', { method: 'PATCH', token: admin.token, body: { activation_mode: 'email' } })).status).toBe(200);
    await sleep(200);

    let n = 0;
    const signUp = (base: string) => {
      const name = `load${++n}`;
      return call(base, '/v1/auth/register', { body: { username: name, email: `${name}@example.com`, password }, ip: clientIp() });
    };
    type Outcome = { target: string; status?: number; error?: string };
    const others: Outcome[] = [];
    let running = true;
    // Steady traffic on B and C for the whole test: sign-ups and authenticated reads.
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      while (running) {
        const target = lane % 2 ? B : C;
        for (const work of [() => signUp(target), () => call(target, '/v1/me', { token: admin.token })]) {
          try {
            others.push({ target, status: (await work()).status });
          } catch (err) {
            others.push({ target, error: String(err) });
          }
        }
      }
    });

    await sleep(300);
    // A burst on A (argon2 hashing keeps each in flight for a while), then SIGTERM once A has
    // received them all: they are in flight on the server, not merely sent.
    const a = d.instances[0]!;
    const received = () => a.logs().filter((l) => l.msg === 'incoming request' && (l.req as { url?: string }).url === '/v1/auth/register').length;
    const before = received();
    const onA = Array.from({ length: 8 }, () => signUp(A).then((r) => ({ status: r.status }), (err: unknown) => ({ error: String(err) })));
    await eventually('A to receive the burst', async () => received() === before + 8, 10_000, 2);
    const exit = a.stop('SIGTERM');
    await sleep(1000);
    running = false;
    await Promise.all(lanes);

    expect(await exit).toBe(0);
    expect(await Promise.all(onA)).toEqual(Array(8).fill({ status: 201 }));
    expect(others.length).toBeGreaterThan(10);
    expect(others.filter((o) => o.error !== undefined || ![200, 201].includes(o.status!))).toEqual([]);
    expect(d.instances[0]!.logs().some((l) => l.msg === 'shutdown complete')).toBe(true);

    // Every accepted sign-up's mail is delivered exactly once, whichever instance's worker sent it.
    const accepted = 8 + others.filter((o) => o.status === 201).length;
    await eventually('the outbox to drain', async () => {
      const due = await d.db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'retry']).execute();
      return due.length === 0;
    }, 20_000, 100);
    const sent = await d.db.selectFrom('outbox').select(['to_addr', 'status']).where('to_addr', 'like', 'load%').execute();
    expect(sent).toHaveLength(accepted);
    expect(sent.every((m) => m.status === 'sent')).toBe(true);
    const files = (await deliveredMail(d.instances)).filter((m) => /^load\d+@/.test(m.to));
    expect(files).toHaveLength(accepted);
    expect(new Set(files.map((m) => m.to)).size).toBe(accepted);
  });
});
