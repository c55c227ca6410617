import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjangoUsers } from '../../src/core/import/index.js';
import { openStore, type Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { newUserRow } from '../support/rows.js';
import { testApp, type TestApp } from '../support/app.js';
import { authUserSqlite, djangoSqlite, sqliteDateTime } from '../import/django-fixtures.js';

/** Planner statistics exist without an operator running ANALYZE (issue 11): SQLite gathers them at open, an import at its end. */

async function sqliteUsersStat(store: Store): Promise<string | undefined> {
  const table = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(store.db);
  if (Number(table.rows[0]!.n) === 0) return undefined;
  const rows = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = 'users' and idx is not null`.execute(store.db);
  return rows.rows[0]?.stat;
}

async function postgresUsersAnalyzed(store: Store): Promise<boolean> {
  const rows = await sql<{ at: Date | null }>`select last_analyze as at from pg_stat_user_tables where relname = 'users' and schemaname = current_schema()`.execute(store.db);
  return rows.rows[0]?.at != null;
}

describe('SQLite statistics at open', () => {
  it('a store opened on a file with unanalysed rows gathers their statistics', async () => {
    const fresh = await freshStore('sqlite');
    const now = Date.now();
    const rows = Array.from({ length: 300 }, (_, i) => newUserRow({ username: `s${i}`, username_key: `s${i}`, email: `s${i}@example.com`, email_key: `s${i}@example.com`, password_hash: 'x', date_joined: now, password_changed_at: now, updated_at: now }));
    await fresh.store.db.insertInto('users').values(rows).execute();
    await sql`delete from sqlite_stat1`.execute(fresh.store.db).catch(() => undefined);
    expect(await sqliteUsersStat(fresh.store)).toBeUndefined();
    await fresh.store.close();
    const reopened = openStore(fresh.url);
    try {
      expect(await sqliteUsersStat(reopened)).toMatch(/^\d+ \d+/);
    } finally {
      await reopened.close();
    }
  });
});

describe.each(backends)('an import on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(() => app?.close());

  it('ends with ANALYZE of the users it wrote', async () => {
    if (backend === 'sqlite') await sql`delete from sqlite_stat1`.execute(app.store.db).catch(() => undefined);
    const at = sqliteDateTime(Date.UTC(2024, 0, 1));
    const file = djangoSqlite(authUserSqlite, 'auth_user', Array.from({ length: 20 }, (_, i) => ({
      id: 500 + i, username: `imp${i}`, password: '!', email: `imp${i}@example.com`, first_name: '', last_name: '',
      is_superuser: false, is_staff: false, is_active: true, date_joined: at, last_login: null,
    })));
    await importDjangoUsers(app.core, { from: file });
    if (backend === 'sqlite') expect(await sqliteUsersStat(app.store)).toMatch(/^\d+ \d+/);
    else expect(await postgresUsersAnalyzed(app.store)).toBe(true);
  });
});
