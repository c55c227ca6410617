import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type DatabaseIntrospector } from 'kysely';
import type { Database } from './schema.js';
import { CurrentSchemaIntrospector } from './schema-introspector.js';
import { cachingStatements } from './dialect/sqlite-statements.js';
import { sqliteOptimizeFlags } from './dialect/sqlite.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export type { DialectName } from './dialect/index.js';
import type { DialectName } from './dialect/index.js';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema in use, when not the default. */
  schema?: string;
  /** The SQLite database file (not for `:memory:`), which a worker thread may open a connection of its own to. */
  sqliteFile?: string;
  /**
   * SQLite with a file: WAL checkpoints from now on run on a thread of their own, not inside a
   * request's COMMIT (wal-checkpointer.ts); `onLost` hears if that thread dies. Stopped by close().
   */
  checkpointInBackground?(onLost: (err: unknown) => void): void;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Connection-pool usage (PostgreSQL), for metrics. */
  poolStats?(): { max: number; total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL schema to use (created when missing); tests use one per run. */
  schema?: string;
  poolSize?: number;
}

const int8Oid = 20;

export function openStore(url: string, options: StoreOptions = {}): Store {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  return openPostgres(url, options);
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Planner statistics (issue 11): SQLite gathers none unless asked. At open, check every table
  // (0x10000) and analyse those that need it (0x2) under a row limit (0x10) so a large database
  // still opens fast; then the plain form hourly, as SQLite advises for long-lived connections.
  database.pragma(`optimize=${sqliteOptimizeAtOpen}`);
  const optimizer = setInterval(() => {
    try {
      database.pragma('optimize');
    } catch {
      // Busy (another process writing) or closing: the next hour tries again.
    }
  }, 3_600_000);
  optimizer.unref();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) });
  let checkpointer: WalCheckpointer | undefined;
  return {
    db,
    dialect: 'sqlite',
    ...(file === ':memory:'
      ? {}
      : {
          sqliteFile: file,
          checkpointInBackground: (onLost: (err: unknown) => void) => {
            checkpointer ??= startWalCheckpointer(database, file, onLost);
          },
        }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      clearInterval(optimizer);
      await checkpointer?.stop();
      return db.destroy();
    },
  };
}

/** `PRAGMA optimize` flags for a connection's first run (after migrations too: the dialect's gatherStatistics). */
export const sqliteOptimizeAtOpen = sqliteOptimizeFlags;

/** PostgreSQL whose introspection (and so Kysely's migrator) sees only the schema in use. */
class ScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

// Loaded only when chosen: an embedded (SQLite) start skips pg's load time.
const require = createRequire(import.meta.url);

function openPostgres(url: string, options: StoreOptions): Store {
  const pg = require('pg') as typeof import('pg');
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3000,
    // BIGINT (epoch-ms times, counts) as JS numbers: every value we store fits in 2^53.
    types: { getTypeParser: (oid: number, format?: any) => (oid === int8Oid ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its server (PostgreSQL restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a checked-out one: pg emits 'error' on it (no pool listener then) besides failing its query (node-postgres#3202).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({
    dialect: new ScopedPostgresDialect({
      pool: schema
        ? async () => {
            const setup = new pg.Client({ connectionString: url });
            await setup.connect();
            try {
              await setup.query(`create schema if not exists ${schema}`);
            } finally {
              await setup.end();
            }
            return pool;
          }
        : pool,
    }),
  });
  return {
    db,
    dialect: 'postgres',
    schema,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({ max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}
