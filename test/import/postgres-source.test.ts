import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjangoUsers } from '../../src/core/import/index.js';
import { backends, dropSchema, postgresUrl, withPostgres } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { authUserPostgres, djangoHash, insertPostgres } from './django-fixtures.js';

/** A Django project's PostgreSQL database: auth_user in its own schema on the test server. */
describe.each(backends)('import-django from PostgreSQL into %s', (backend) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let app: TestApp;
  beforeAll(async () => {
    await withPostgres(async (client) => {
      await client.query(`create schema ${schema}`);
      await client.query(authUserPostgres(schema));
      const user = (id: number, username: string, password: string, extra: Record<string, unknown> = {}) => ({
        id, username, password, email: `${username}@example.com`, first_name: username, last_name: '', is_superuser: false, is_staff: false, is_active: true,
        date_joined: '2024-11-18T11:59:14.730979+00:00', last_login: null, ...extra,
      });
      await insertPostgres(client, `${schema}.auth_user`, [
        user(11, 'pgpbkdf2', djangoHash.pbkdf2('pg pbkdf2 pw'), { last_login: '2025-01-02T10:00:00+02:00' }),
        user(12, 'pgbcrypt', djangoHash.bcryptSha256('pg bcrypt pw'), { is_staff: true }),
        user(13, 'pgargon', await djangoHash.argon2('pg argon pw')),
        user(14, 'pgmd5', djangoHash.md5('pg md5 pw')),
      ]);
    });
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
    await dropSchema(schema);
  });

  it('imports auth_user over a postgres:// URL, timestamps read in UTC, and its users log in', async () => {
    const summary = await importDjangoUsers(app.core, { from: postgresUrl, table: `${schema}.auth_user`, batchSize: 3 });
    expect(summary).toMatchObject({ loginField: 'username', read: 4, created: 4, skipped: [] });
    expect(summary.notes.map((n) => n.row)).toEqual(['id 14 (pgmd5)']);
    const row = await app.core.db.selectFrom('users').selectAll().where('id', '=', 11).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ username: 'pgpbkdf2', date_joined: Date.UTC(2024, 10, 18, 11, 59, 14, 730), last_login: Date.UTC(2025, 0, 2, 8, 0, 0) });
    for (const [login, password] of [['pgpbkdf2', 'pg pbkdf2 pw'], ['pgbcrypt', 'pg bcrypt pw'], ['pgargon@example.com', 'pg argon pw']]) {
      const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
      expect(res.statusCode, `${login}: ${res.body}`).toBe(200);
    }
    expect((await importDjangoUsers(app.core, { from: postgresUrl, table: `${schema}.auth_user` })).unchanged).toBe(4);
    await expect(importDjangoUsers(app.core, { from: postgresUrl, table: `${schema}.nope` })).rejects.toThrow(`no table "${schema}.nope"`);
    await expect(importDjangoUsers(app.core, { from: postgresUrl, table: 'x; drop table users' })).rejects.toThrow(/invalid table/);
  });
});
