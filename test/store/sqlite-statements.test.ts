import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from '../../src/store/dialect/sqlite-statements.js';

describe('the SQLite prepared-statement cache', () => {
  function open(max?: number) {
    const database = new SQLite(':memory:');
    const prepare = database.prepare.bind(database);
    let prepared = 0;
    database.prepare = ((text: string) => {
      prepared++;
      return prepare(text);
    }) as typeof database.prepare;
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachingStatements(database, max) }) });
    return { db, prepared: () => prepared };
  }

  it('prepares a statement once and runs it with each call’s parameters, inside transactions too', async () => {
    const { db, prepared } = open();
    await sql`create table t (id integer primary key, v text)`.execute(db);
    for (let i = 0; i < 5; i++) await db.insertInto('t').values({ id: i, v: `v${i}` }).execute();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ v: 'x' }).where('id', '=', 1).execute();
      await trx.updateTable('t').set({ v: 'y' }).where('id', '=', 2).execute();
    });
    const rows = await db.selectFrom('t').select(['id', 'v']).where('id', '<', 3).orderBy('id').execute();
    expect(rows).toEqual([{ id: 0, v: 'v0' }, { id: 1, v: 'x' }, { id: 2, v: 'y' }]);
    // create, insert, begin, update, commit, select: each SQL text once.
    expect(prepared()).toBe(6);
    await db.destroy();
  });

  it('stays bounded, and sees schema changes made after a statement was cached', async () => {
    const { db, prepared } = open(2);
    await sql`create table t (id integer primary key)`.execute(db);
    const count = async () => Number((await db.selectFrom('t').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(0);
    for (let i = 0; i < 4; i++) await db.insertInto('t').values(Array.from({ length: i + 1 }, (_, j) => ({ id: i * 10 + j }))).execute();
    const before = prepared();
    expect(await count(), 'the count statement was evicted and is prepared again').toBe(10);
    expect(prepared()).toBe(before + 1);
    await sql`alter table t add column v text`.execute(db);
    await db.insertInto('t').values({ id: 99, v: 'new' }).execute();
    expect(await db.selectFrom('t').selectAll().where('id', '=', 99).execute()).toEqual([{ id: 99, v: 'new' }]);
    expect(await count()).toBe(11);
    await db.destroy();
  });

  it('gives a statement still being iterated to no one else', () => {
    const database = new SQLite(':memory:');
    database.exec('create table t (id integer primary key); insert into t values (1), (2)');
    const statements = cachingStatements(database);
    const text = 'select id from t order by id';
    const first = statements.prepare(text);
    const rows = first.iterate([]);
    rows.next();
    const second = statements.prepare(text);
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ id: 1 }, { id: 2 }]);
    expect([...rows]).toEqual([{ id: 2 }]);
    expect(statements.prepare(text), 'once the iteration ends the cached one is shared again').toBe(first);
    statements.close();
  });
});
