import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../src/store/db.js';
import { distDir, runNode } from './processes.js';

export type Backend = 'sqlite' | 'postgres';

export interface BenchDatabase {
  backend: Backend;
  url: string;
  /** GATEHOUSE_DATA_DIR for the server: secret key and mail files of this run only. */
  dataDir: string;
  drop(): Promise<void>;
}

export const benchPassword = 'bench-password-1';

/** Databases of this run not yet dropped, so an interrupted run still cleans up. */
const live = new Set<BenchDatabase>();

export async function dropLiveDatabases(): Promise<void> {
  for (const db of [...live]) await db.drop().catch(() => {});
}
export const loginName = (n: number) => `bench_${n}`;

/** The PostgreSQL server bench databases are created on. */
export const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new, empty database for this run (a SQLite file in a temp dir, or `CREATE DATABASE gatehouse_bench_<n>`), migrated by the real CLI. */
/** `script`: the CLI that migrates it (another build's, to bench that build on its own schema). */
export async function createBenchDatabase(backend: Backend, script = join(distDir, 'src/main.js')): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  let url: string;
  let dropDb = async () => {};
  if (backend === 'sqlite') {
    url = `sqlite:${join(dataDir, 'bench.db')}`;
  } else {
    const name = `gatehouse_bench_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const db: BenchDatabase = {
    backend,
    url,
    dataDir,
    async drop() {
      live.delete(db);
      await dropDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  live.add(db);
  await runNode(script, ['migrate'], { DATABASE_URL: url, GATEHOUSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  return db;
}

/** Runs one statement on the server's maintenance database (CREATE / DROP DATABASE). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Runtime settings for the bench, written where an operator's console changes go (the
 * settings table), before the server starts: the rate limiter still counts every attempt
 * but never refuses one, so the bench measures the server and not the limiter.
 */
export const benchSettings: Record<string, number> = {
  rate_window: 1,
  rate_login_ip: 100_000,
  rate_login_account: 100_000,
  rate_register_ip: 100_000,
  lockout_threshold: 1000,
  access_token_ttl: 3600,
};

export async function writeBenchSettings(db: BenchDatabase): Promise<void> {
  const store = openStore(db.url);
  try {
    const now = Date.now();
    for (const [key, value] of Object.entries(benchSettings)) {
      const row = { key, value: JSON.stringify(value), updated_at: now, updated_by: null };
      await store.db.insertInto('settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
    }
  } finally {
    await store.close();
  }
}

/**
 * Inserts users `from`..`to` (login `bench_<n>`, email `bench_<n>@bench.example`) in one
 * statement that generates the rows inside the database, every row sharing one precomputed
 * argon2id hash of `benchPassword`. Returns seconds taken.
 */
export async function seedUsers(db: BenchDatabase, from: number, to: number, passwordHash: string): Promise<number> {
  const started = performance.now();
  const store = openStore(db.url);
  const now = Date.now();
  try {
    if (db.backend === 'sqlite') {
      await sql`
        WITH RECURSIVE seq(n) AS (SELECT CAST(${from} AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < CAST(${to} AS INTEGER))
        INSERT INTO users (username, username_key, email, email_key, password_hash, first_name, last_name, date_joined, password_changed_at, updated_at)
        SELECT 'bench_' || n, 'bench_' || n, 'bench_' || n || '@bench.example', 'bench_' || n || '@bench.example',
               ${passwordHash}, 'Bench', 'User ' || n, ${now}, ${now}, ${now}
        FROM seq`.execute(store.db);
    } else {
      await sql`
        INSERT INTO users (username, username_key, email, email_key, password_hash, first_name, last_name, date_joined, password_changed_at, updated_at)
        SELECT 'bench_' || n, 'bench_' || n, 'bench_' || n || '@bench.example', 'bench_' || n || '@bench.example',
               ${passwordHash}, 'Bench', 'User ' || n, ${now}::bigint, ${now}::bigint, ${now}::bigint
        FROM generate_series(${from}::bigint, ${to}::bigint) AS n`.execute(store.db);
      await sql`ANALYZE users`.execute(store.db);
    }
  } finally {
    await store.close();
  }
  return (performance.now() - started) / 1000;
}

export async function countUsers(db: BenchDatabase): Promise<number> {
  const store = openStore(db.url);
  try {
    const row = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}
