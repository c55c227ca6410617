import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export type BackendName = 'sqlite' | 'postgres';

/** Every database suite runs once per backend. PostgreSQL comes from TEST_DATABASE_URL. */
export const backends: BackendName[] = ['sqlite', 'postgres'];

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated database: a new SQLite file or a new PostgreSQL schema. */
export async function freshStore(backend: BackendName): Promise<{ store: Store; url: string; schema?: string }> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const store = openStore(url);
    await migrateToLatest(store);
    return { store, url };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = openStore(postgresUrl, { schema, poolSize: 5 });
  await migrateToLatest(store);
  return { store, url: postgresUrl, schema };
}
