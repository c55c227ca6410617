import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { RedisCache } from '../../src/cache/redis.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { capturingLogger, redisUrl, uniquePrefix } from '../cache/support.js';
import { EventReader, eventually, revokedSession, serviceKey } from './support.js';

/** Two instances over one database and one Redis: A logs a user out, a stream connected to B hears of it. */
describe.each(backends)('the revocation stream across instances (Redis) on %s', (backend) => {
  let a: TestApp;
  let b: Gatehouse;
  let cacheA: RedisCache;
  let cacheB: RedisCache;
  let baseB: string;
  const controllers: AbortController[] = [];

  beforeAll(async () => {
    const prefix = uniquePrefix();
    const log = capturingLogger().log;
    cacheA = new RedisCache({ url: redisUrl, log, prefix });
    cacheB = new RedisCache({ url: redisUrl, log, prefix });
    a = await testApp(backend, {}, { cache: cacheA });
    await relaxRateLimits(a);
    b = await createApp(a.config, { store: a.store, clock: a.clock, cache: cacheB, mailWorker: false, cleanup: false, log });
    baseB = await b.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const c of controllers) c.abort();
    b?.http.server.closeAllConnections();
    await b?.close();
    await a?.close();
    await cacheA?.close();
    await cacheB?.close();
  });

  it('a logout on instance A reaches a stream connected to instance B', async () => {
    const { key } = await serviceKey(a);
    const controller = new AbortController();
    controllers.push(controller);
    const res = await fetch(`${baseB}/v1/revocations/stream`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = new EventReader(res.body!);
    await eventually('the catch-up', () => reader.caughtUp());

    const { sid } = await revokedSession(a);
    await eventually('the revocation made on A to reach the stream on B', () => reader.revocations().some((e) => e.sid === sid));
    const event = reader.revocations().find((e) => e.sid === sid)!;
    const row = await a.store.db.selectFrom('sessions').select('revoked_at').where('id', '=', sid).executeTakeFirstOrThrow();
    expect(event.revoked_at).toBe(Number(row.revoked_at));
    expect(reader.revocations().filter((e) => e.sid === sid)).toHaveLength(1);
    controller.abort();
  });
});
