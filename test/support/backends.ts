import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export type BackendName = 'sqlite' | 'postgres';

/**
 * Every database suite runs once per backend. PostgreSQL comes from TEST_DATABASE_URL.
 * `TEST_BACKENDS=sqlite` (a comma list) runs fewer locally; CI must run both, so it refuses the variable.
 */
export const backends: BackendName[] = selectedBackends(process.env.TEST_BACKENDS, process.env.CI === 'true');

export function selectedBackends(list: string | undefined, ci: boolean): BackendName[] {
  const all: BackendName[] = ['sqlite', 'postgres'];
  if (list === undefined || list.trim() === '') return all;
  if (ci) throw new Error(`TEST_BACKENDS=${list} is set with CI=true: CI runs every backend, unset TEST_BACKENDS`);
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !all.includes(name as BackendName));
  if (unknown.length || !names.length) throw new Error(`TEST_BACKENDS=${list}: expected a comma list of ${all.join(', ')}`);
  return all.filter((name) => names.includes(name));
}

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshStore {
  store: Store;
  url: string;
  schema?: string;
  /** Removes the PostgreSQL schema (after `store.close()`); a no-op for SQLite, whose file lives in a temp dir. */
  drop(): Promise<void>;
}

/** A fresh, migrated database: a new SQLite file or a new PostgreSQL schema. */
export async function freshStore(backend: BackendName): Promise<FreshStore> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const store = openStore(url);
    await migrateToLatest(store);
    return { store, url, drop: async () => {} };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = openStore(postgresUrl, { schema, poolSize: 5 });
  await migrateToLatest(store);
  return { store, url: postgresUrl, schema, drop: () => dropSchema(schema) };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^t_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  await withPostgres((client) => client.query(`drop schema if exists ${schema} cascade`));
}

/** Runs `work` with a one-off client on the test server's `database` (default: the one in postgresUrl). */
export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(postgresUrl);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
