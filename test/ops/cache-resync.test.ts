import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { RedisCache } from '../../src/cache/redis.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { capturingLogger, freePort } from '../cache/support.js';

/**
 * Two instances over one database whose pub/sub messages never reach each other (separate
 * memory caches): what an instance sees when Redis drops messages. The resync must make up for it.
 */
describe.each(backends)('state kept right when pub/sub messages are lost, on %s', (backend) => {
  let a: TestApp;
  let b: Gatehouse;
  let degraded: Gatehouse;
  let deadRedis: RedisCache;

  beforeAll(async () => {
    a = await testApp(backend);
    const log = capturingLogger().log;
    b = await createApp(a.config, { store: a.store, clock: a.clock, cache: new MemoryCache({ clock: a.clock }), mailWorker: false, cleanup: false, log });
    // An instance whose Redis is down: its cache reports unhealthy and delivers nothing.
    deadRedis = new RedisCache({ url: `redis://127.0.0.1:${await freePort()}`, log, maxReconnectDelayMs: 60_000 });
    degraded = await createApp(a.config, { store: a.store, clock: a.clock, cache: deadRedis, mailWorker: false, cleanup: false, log });
    // Polls run when the test says, not on the real-time timer.
    degraded.resync.stop();
  });
  afterAll(async () => {
    await degraded?.close();
    await deadRedis?.close();
    await b?.close();
    await a?.close();
  });

  const me = (app: Gatehouse, token: string) => app.http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('a logout on B whose message A never got is enforced on A at the next poll', async () => {
    const user = await a.signUp();
    expect((await me(a, user.access_token)).statusCode).toBe(200);
    const out = await b.http.inject({ method: 'POST', url: '/v1/auth/logout', headers: { authorization: `Bearer ${user.access_token}` } });
    expect(out.statusCode).toBe(204);
    expect((await me(b, user.access_token)).statusCode).toBe(401);
    // The message was lost: A still has the session as live…
    expect((await me(a, user.access_token)).statusCode).toBe(200);
    await a.resync.poll();
    // …until its poll reads the revocation from the database.
    expect((await me(a, user.access_token)).statusCode).toBe(401);
  });

  it('also catches a revocation committed with a time just before the previous poll (clock skew, slow commit)', async () => {
    const user = await a.signUp();
    await a.resync.poll();
    expect((await me(a, user.access_token)).statusCode).toBe(200);
    const session = await a.store.db.selectFrom('sessions').select('id').where('user_id', '=', user.user.id).executeTakeFirstOrThrow();
    await a.store.db.updateTable('sessions').set({ revoked_at: a.clock.now() - 3000, revoke_reason: 'test' }).where('id', '=', session.id).execute();
    await a.resync.poll();
    expect((await me(a, user.access_token)).statusCode).toBe(401);
  });

  it('rebuilds revocations and settings, and drops the user and API-token caches, on a reconnect', async () => {
    const user = await a.signUp();
    expect((await me(a, user.access_token)).statusCode).toBe(200);
    await b.core.settings.update({ otp_length: 8 }, null);
    await b.http.inject({ method: 'POST', url: '/v1/auth/logout-all', headers: { authorization: `Bearer ${user.access_token}` } });
    expect(a.core.settings.get('otp_length')).toBe(6);
    await a.resync.resyncAll();
    expect(a.core.settings.get('otp_length')).toBe(8);
    expect((await me(a, user.access_token)).statusCode).toBe(401);
    await b.core.settings.update({ otp_length: 6 }, null);
    await a.resync.resyncAll();
  });

  it('while its Redis is down, an instance re-reads settings and users from the database each poll', async () => {
    const user = await a.signUp();
    expect((await me(degraded, user.access_token)).statusCode).toBe(200);
    await b.core.settings.update({ access_token_ttl: 900 }, null);
    // Deactivated by another instance (straight in the database: only the user row changes).
    await a.store.db.updateTable('users').set({ is_active: 0 }).where('id', '=', user.user.id).execute();
    expect((await me(degraded, user.access_token)).statusCode).toBe(200);
    await degraded.resync.poll();
    expect(degraded.core.settings.get('access_token_ttl')).toBe(900);
    expect((await me(degraded, user.access_token)).statusCode).toBe(401);
    const ready = await degraded.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', redis: 'unavailable' } });
    expect(ready.json().degraded).toContain('rate limits counted per instance');
    await b.core.settings.update({ access_token_ttl: 300 }, null);
  });
});
