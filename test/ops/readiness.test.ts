import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends, postgresUrl, withPostgres, type BackendName } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';

/**
 * A database that answers reads but refuses writes. PostgreSQL: a database of its own with
 * `default_transaction_read_only = on` (every new connection is read-only, as on a hot standby).
 * SQLite: `PRAGMA query_only` on the app's one connection (the tests run as root, for whom a
 * chmod'ed file stays writable), which fails writes with SQLITE_READONLY as a read-only file does.
 */
interface ReadOnlyCapable {
  /** The PostgreSQL store over a database of its own (SQLite: the test app's own file). */
  store?: Store;
  setReadOnly(app: TestApp, on: boolean): Promise<void>;
  drop(): Promise<void>;
}

async function readOnlyCapable(backend: BackendName): Promise<ReadOnlyCapable> {
  if (backend === 'sqlite') {
    return {
      setReadOnly: async (app, on) => void (await sql.raw(`pragma query_only = ${on ? 1 : 0}`).execute(app.store.db)),
      drop: async () => {},
    };
  }
  const name = `gh_ro_${randomBytes(5).toString('hex')}`;
  await withPostgres((c) => c.query(`create database ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const store = openStore(url.toString(), { poolSize: 3 });
  await migrateToLatest(store);
  return {
    store,
    setReadOnly: async (_app, on) => {
      await withPostgres((c) => c.query(`alter database ${name} ${on ? 'set default_transaction_read_only = on' : 'reset default_transaction_read_only'}`));
      // Open connections keep the mode they started with: make the pool open new ones.
      await withPostgres((c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]));
      // The pool learns of each killed connection only when it next fails: read until every pooled
      // connection has been replaced, so the test then sees the new mode rather than a dead socket.
      for (let ok = 0, tries = 0; ok < 3 && tries < 50; tries++) {
        ok = await Promise.all([1, 2, 3].map(() => sql`select 1`.execute(store.db).then(() => 1, () => 0))).then((r) => (r.every(Boolean) ? ok + 1 : 0));
        if (ok === 0) await new Promise((r) => setTimeout(r, 20));
      }
    },
    drop: async () => {
      await store.close();
      await withPostgres((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

describe.each(backends)('readiness means it (%s)', (backend) => {
  let app: TestApp;
  let database: ReadOnlyCapable;

  beforeAll(async () => {
    database = await readOnlyCapable(backend);
    app = await testApp(backend, { GATEHOUSE_COMPAT: 'jwt-uuid-refresh' }, database.store ? { store: database.store } : {});
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('is ready while the database takes writes, and the probe writes this instance\'s heartbeat', async () => {
    const res = await app.request({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    const rows = await app.store.db.selectFrom('heartbeats').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.seen_at)).toBe(app.clock.now());
  });

  it('a read-only database: /readyz 503 naming "database write", writes 503 service_unavailable, a log line says so', async () => {
    await app.signUp(); // a user exists before: reads keep working
    await database.setReadOnly(app, true);

    const ready = await app.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'read-only' }, failed: ['database write'] });
    expect(app.logs.some((l) => /readiness: database write failed \(read-only\)/.test(l))).toBe(true);

    const native = await app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'ro_user', email: 'ro@example.com', password: testPassword } });
    expect(native.statusCode).toBe(503);
    expect(native.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(native.headers['retry-after']).toBeDefined();
    expect(native.json()).toMatchObject({ code: 'service_unavailable', status: 503, type: 'urn:gatehouse:error:service_unavailable' });
    expect(app.logs.some((l) => /database refuses writes \(read-only\)/.test(l))).toBe(true);
    expect(app.logs.some((l) => /unhandled error/.test(l))).toBe(false);

    // Compatibility profiles answer as DRF would: {"detail": …} with the same status.
    const compat = await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'ro2@example.com', password: testPassword } });
    expect(compat.statusCode).toBe(503);
    expect(compat.headers['content-type']).toMatch(/^application\/json/);
    expect(compat.json()).toEqual({ detail: expect.stringMatching(/cannot save changes/) });

    // Nothing was half-written.
    expect(await app.store.db.selectFrom('users').select('id').where('email', 'in', ['ro@example.com', 'ro2@example.com']).execute()).toEqual([]);
  });

  it('is ready again once the database takes writes, and logs that too', async () => {
    await database.setReadOnly(app, false);
    const ready = await app.request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(app.logs.some((l) => /readiness: database write ok again/.test(l))).toBe(true);
  });
});
