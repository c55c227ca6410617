import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/db.js';
import { freshStore, postgresUrl, type FreshStore } from '../support/backends.js';
import { sleep } from '../cache/support.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { testPassword } from '../support/passwords.js';

/** PostgreSQL goes away under a running server (through a relay we cut), then comes back. */
describe('PostgreSQL outage', () => {
  let fresh: FreshStore;
  let proxy: TcpProxy;
  let store: Store;
  let app: Gatehouse;
  const logs: string[] = [];

  beforeAll(async () => {
    fresh = await freshStore('postgres');
    const target = new URL(postgresUrl);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(postgresUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    store = openStore(viaProxy.toString(), { schema: fresh.schema, poolSize: 3 });
    const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-outage-')), LOG_LEVEL: 'info' });
    const log = createLogger(config, new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) }));
    app = await createApp(config, { store, cache: new MemoryCache(), mailWorker: false, cleanup: false, log });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await proxy?.cut();
    await fresh?.store.close();
    await fresh?.drop();
  });

  const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, token?: string) =>
    app.http.inject({ method, url, payload: payload as never, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 503 with Retry-After while the database is down, keeps serving what memory can, and recovers by itself', async () => {
    const reg = await inject('POST', '/v1/auth/register', { username: 'olga', password: testPassword });
    expect(reg.statusCode).toBe(201);
    const token = reg.json().access_token as string;
    expect((await inject('GET', '/v1/me', undefined, token)).statusCode).toBe(200);

    await proxy.cut();
    for (const attempt of [1, 2, 3]) {
      const res = await inject('POST', '/v1/auth/login', { login: 'olga', password: testPassword });
      expect(res.statusCode, `attempt ${attempt}: ${res.body}`).toBe(503);
      expect(res.json()).toMatchObject({ code: 'unavailable', status: 503 });
      expect(res.headers['retry-after']).toBe('5');
    }
    const register = await inject('POST', '/v1/auth/register', { username: 'pavel', password: testPassword });
    expect(register.statusCode).toBe(503);
    const ready = await inject('GET', '/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database).toBe('unavailable');
    expect((await inject('GET', '/healthz')).statusCode).toBe(200);
    // The per-request check is memory only: a signed-in user keeps working through the outage.
    expect((await inject('GET', '/v1/me', undefined, token)).statusCode).toBe(200);

    await proxy.start();
    let login = await inject('POST', '/v1/auth/login', { login: 'olga', password: testPassword });
    for (let i = 0; i < 100 && login.statusCode !== 200; i++) {
      await sleep(50);
      login = await inject('POST', '/v1/auth/login', { login: 'olga', password: testPassword });
    }
    expect(login.statusCode).toBe(200);
    expect((await inject('GET', '/readyz')).statusCode).toBe(200);
    // Nothing half-written: the refused sign-up left no account.
    const pavel = await fresh.store.db.selectFrom('users').select('id').where('username', '=', 'pavel').executeTakeFirst();
    expect(pavel).toBeUndefined();

    const all = logs.join('');
    expect(all).toContain('backing service unavailable');
    expect(all).not.toContain('unhandled error');
  });
});
