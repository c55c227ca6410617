import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { RedisCache } from '../../src/cache/redis.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { capturingLogger, redisUrl, uniquePrefix } from '../cache/support.js';
import { EventReader, eventually, serviceKey, sessionIdOf } from '../revocation-feed/support.js';

/**
 * A revocation whose pub/sub message never arrived (Redis was away, the publisher could not reach
 * it) is found by the cache resync's database poll: it must reach the open feed streams too, not
 * only the instance's own revoked set.
 */
describe.each(backends)('revocations found by the cache resync reach the feed streams on %s', (backend) => {
  let a: TestApp;
  let b: Gatehouse;
  const caches: RedisCache[] = [];
  let baseB = '';
  const controllers: AbortController[] = [];

  beforeAll(async () => {
    const prefix = uniquePrefix();
    const log = capturingLogger().log;
    caches.push(new RedisCache({ url: redisUrl, log, prefix }), new RedisCache({ url: redisUrl, log, prefix }));
    a = await testApp(backend, {}, { cache: caches[0] });
    await relaxRateLimits(a);
    b = await createApp(a.config, { store: a.store, clock: a.clock, cache: caches[1], mailWorker: false, cleanup: false, log });
    // The test polls by hand: no timer racing it.
    b.resync.stop();
    baseB = await b.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of controllers) c.abort();
    b?.http.server.closeAllConnections();
    await b?.close();
    await a?.close();
    for (const c of caches) await c.close();
  });

  it('a session revoked with no message sent is pushed to a stream on the next poll', async () => {
    const { key } = await serviceKey(a);
    const controller = new AbortController();
    controllers.push(controller);
    const res = await fetch(`${baseB}/v1/revocations/stream`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    const reader = new EventReader(res.body!);
    await eventually('the catch-up', () => reader.caughtUp());

    const sid = await sessionIdOf(a, (await a.signUp()).access_token);
    // The revocation as a lost message leaves it: in the database, announced nowhere.
    await a.store.db.updateTable('sessions').set({ revoked_at: a.clock.now() }).where('id', '=', sid).execute();
    expect(b.core.revocations.isRevoked(sid)).toBe(false);
    await b.resync.poll();
    expect(b.core.revocations.isRevoked(sid)).toBe(true);
    await eventually('the resynced revocation on the stream', () => reader.revocations().some((e) => e.sid === sid));
    // The next poll finds it again (the overlap) and sends nothing more.
    await b.resync.poll();
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.revocations().filter((e) => e.sid === sid)).toHaveLength(1);
    controller.abort();
  });
});
