import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import type { MemoryCache } from '../../src/cache/memory.js';
import { RedisCache } from '../../src/cache/redis.js';
import { createOidcClient, revokeOidcClientById } from '../../src/core/oidc-clients.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { backends } from '../support/backends.js';
import { eventually } from '../support/eventually.js';
import { capturingLogger, describeWithRedisServer, freePort, RedisServerProcess } from '../cache/support.js';
import { basic, form, listeningApp, machineClient, registerClient, type Listening } from './provider-support.js';

const secretKey = 'oidc-client-cache-secret-key-0123456789abcdef';

describe.each(backends)('OpenID provider: the client cache of the token endpoint on %s', (backend) => {
  // Two instances over one database and one pub/sub, as behind one URL.
  let a: Listening;
  let b: Listening;

  beforeAll(async () => {
    a = await listeningApp(backend, { GATEHOUSE_SECRET_KEY: secretKey });
    b = await listeningApp(backend, { GATEHOUSE_SECRET_KEY: secretKey }, { store: a.app.store, cache: a.app.core.cache as MemoryCache });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const grant = (l: Listening, c: { clientId: string; secret: string }) =>
    l.app.request({ method: 'POST', url: '/oidc/token', payload: form({ grant_type: 'client_credentials', scope: 'invoices:read' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.clientId, c.secret) } });

  it('a client-credentials grant reads its client once, not on every request', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(a, machine)).statusCode).toBe(200);
    a.app.queries.reset();
    expect((await grant(a, machine)).statusCode).toBe(200);
    // Storing the token (and the audit row) only: no SELECT for the client.
    expect(a.app.queries.seen.filter((kind) => kind === 'SelectQueryNode')).toEqual([]);
  });

  it('attack: a client revoked on one instance gets no token from the other, which had it cached', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(a, machine)).statusCode).toBe(200);
    expect((await grant(b, machine)).statusCode).toBe(200);
    await revokeOidcClientById(b.app.core, machine.clientId);
    for (const l of [a, b]) {
      const res = await grant(l, machine);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('invalid_client');
    }
  });

  it('a revocation message lost (no pub/sub) still ends the client within seconds: entries expire', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(a, machine)).statusCode).toBe(200);
    // The row is revoked behind the cache's back, as if the message never arrived.
    await a.app.store.db.updateTable('oidc_clients').set({ revoked_at: a.app.clock.now() }).where('client_id', '=', machine.clientId).execute();
    a.app.clock.advance(6);
    expect((await grant(a, machine)).statusCode).toBe(401);
  });

  it('a client registered on one instance is known at once to the other; an unknown id is never cached', async () => {
    const unknown = { clientId: 'gc_notyetregistered', secret: 'gcs_x' };
    expect((await grant(b, unknown)).statusCode).toBe(401);
    const { client, clientSecret } = await createOidcClient(a.app.core, machineClient);
    expect((await grant(b, { clientId: client.client_id, secret: clientSecret! })).statusCode).toBe(200);
  });

  it('the secret stays checked on every request, cached client or not, against its SHA-256 digest', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(a, machine)).statusCode).toBe(200);
    const wrong = await grant(a, { ...machine, secret: `${machine.secret}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('invalid_client');
    const row = await a.app.store.db.selectFrom('oidc_clients').select('secret_hash').where('client_id', '=', machine.clientId).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(tokenDigest(machine.secret));
  });
});

describeWithRedisServer('OpenID provider: the client cache when Redis is down or comes back', () => {
  // SQLite is enough: what is under test is the instance's cache, not the database.
  let redis: RedisServerProcess;
  let a: Listening;
  let b: Gatehouse;
  let cache: RedisCache;

  beforeAll(async () => {
    redis = new RedisServerProcess(await freePort());
    await redis.start();
    a = await listeningApp('sqlite', { GATEHOUSE_SECRET_KEY: secretKey });
    // B's pub/sub is a Redis of its own: revocations made on A never reach it, except through the database.
    cache = new RedisCache({ url: redis.url, log: capturingLogger().log, maxReconnectDelayMs: 200 });
    b = await createApp(a.app.config, { store: a.app.store, clock: a.app.clock, cache, mailWorker: false, cleanup: false, log: capturingLogger().log });
  });
  afterAll(async () => {
    await b?.close();
    await cache?.close();
    await a?.close();
    await redis?.stop();
  });

  const grant = (c: { clientId: string; secret: string }) =>
    b.http.inject({ method: 'POST', url: '/oidc/token', payload: form({ grant_type: 'client_credentials', scope: 'invoices:read' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.clientId, c.secret) } });

  it('attack: a client revoked while Redis is down gets no token from an instance that had it cached', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(machine)).statusCode).toBe(200);
    await redis.stop();
    await eventually('B to see Redis down', () => !cache.healthy());
    await revokeOidcClientById(a.app.core, machine.clientId);
    const res = await grant(machine);
    await redis.start();
    await eventually('B to see Redis back', () => cache.healthy());
    expect(res.statusCode).toBe(401);
  });

  it('attack: a client revoked during an outage no request saw gets no token once Redis is back', async () => {
    const machine = await registerClient(a.app, machineClient);
    expect((await grant(machine)).statusCode).toBe(200);
    await redis.stop();
    await eventually('B to see Redis down', () => !cache.healthy());
    await revokeOidcClientById(a.app.core, machine.clientId);
    await redis.start();
    await eventually('B to see Redis back', () => cache.healthy());
    // The test clock stands still: only the reconnect can have dropped the entry.
    const res = await grant(machine);
    expect(res.statusCode).toBe(401);
  });
});
