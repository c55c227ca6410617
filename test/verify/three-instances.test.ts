import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { RedisCache } from '../../src/cache/redis.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { capturingLogger, redisUrl, uniquePrefix } from '../cache/support.js';
import { eventually, serviceKey } from '../revocation-feed/support.js';
import { distribution, ResourceServer } from './support.js';

/** A TCP round-robin balancer: each connection goes to the next instance (one that refuses is skipped). */
function roundRobin(ports: () => number[]): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const targets = ports();
    const attempt = (left: number) => {
      const port = targets[next++ % targets.length]!;
      const upstream = connect(port, '127.0.0.1');
      upstream.once('connect', () => {
        client.pipe(upstream).pipe(client);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
      });
      upstream.once('error', () => {
        if (upstream.readyState === 'opening' || upstream.connecting || !upstream.remoteAddress) {
          if (left > 1) attempt(left - 1);
          else client.destroy();
        } else client.destroy();
      });
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    };
    attempt(targets.length);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, sockets })));
}

/** Three instances sharing the database and Redis behind one feed URL: a logout on any of them reaches the resource server. */
describe.each(backends)('@gatehouse/verify behind a balancer of three instances on %s', (backend) => {
  let a: TestApp;
  const others: Gatehouse[] = [];
  const caches: RedisCache[] = [];
  const urls: string[] = [];
  const up = new Set<number>();
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  const rs = new ResourceServer();

  beforeAll(async () => {
    const prefix = uniquePrefix();
    const log = capturingLogger().log;
    for (let i = 0; i < 3; i++) caches.push(new RedisCache({ url: redisUrl, log, prefix }));
    a = await testApp(backend, {}, { cache: caches[0] });
    await relaxRateLimits(a);
    urls.push(await a.http.listen({ port: 0, host: '127.0.0.1' }));
    for (const cache of caches.slice(1)) {
      const g = await createApp(a.config, { store: a.store, clock: a.clock, cache, mailWorker: false, cleanup: false, log });
      others.push(g);
      urls.push(await g.http.listen({ port: 0, host: '127.0.0.1' }));
    }
    urls.forEach((_, i) => up.add(i));
    proxy = await roundRobin(() => [...up].map((i) => Number(new URL(urls[i]!).port)));
    const { key } = await serviceKey(a);
    await rs.start({ ISSUER: a.config.jwtIssuer, SERVICE_KEY: key, JWKS_URL: `${proxy.url}/.well-known/jwks.json`, FEED_URL: `${proxy.url}/v1/revocations` });
  }, 60_000);
  afterAll(async () => {
    await rs.stop();
    for (const s of proxy?.sockets ?? []) s.destroy();
    proxy?.server.close();
    for (const g of others) {
      g.http.server.closeAllConnections();
      await g.close().catch(() => undefined);
    }
    a?.http.server.closeAllConnections();
    await a?.close();
    for (const c of caches) await c.close();
  });

  /** Logs in and out on instance `i` (real HTTP); the ms until the resource server refuses the token. */
  async function logoutOn(i: number, user: { username: string }): Promise<number> {
    const login = await fetch(`${urls[i]}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: user.username, password: 'correct horse battery staple 42' }) });
    const { access_token: token } = (await login.json()) as { access_token: string };
    expect(await rs.call(token)).toMatchObject({ status: 200 });
    const started = performance.now();
    expect((await fetch(`${urls[i]}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    await eventually(`a logout on instance ${i} to reach the resource server`, async () => (await rs.call(token)).code === 'revoked');
    return performance.now() - started;
  }

  it('a logout on any instance is refused by the resource server', async () => {
    const user = (await a.signUp({ password: 'correct horse battery staple 42' })).user as { username: string };
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) for (const i of [0, 1, 2]) latencies.push(await logoutOn(i, user));
    const d = distribution(latencies);
    console.log(`[verify ${backend}, 3 instances] logout → refused, ${latencies.length} logouts: p50 ${d.p50.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`);
    expect(d.max).toBeLessThanOrEqual(1000);
  }, 60_000);

  it('when the instance holding the stream stops, the stream moves to another and logouts still arrive', async () => {
    const user = (await a.signUp({ password: 'correct horse battery staple 42' })).user as { username: string };
    // Stop B and C: whichever held the stream, it now reconnects (through the balancer) to A.
    for (const [n, g] of others.entries()) {
      up.delete(n + 1);
      g.http.server.closeAllConnections();
      await g.close();
    }
    await eventually('the resource server to be back on the feed', async () => (await rs.status()).feedLive);
    await logoutOn(0, user);
  }, 60_000);
});
