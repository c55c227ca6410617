import { PostgresAdapter, SqliteAdapter } from 'kysely';
import type { Db, DialectName, SqlDialect } from './dialect.js';
import { postgresDialect } from './postgres.js';
import { sqliteDialect } from './sqlite.js';

export type { Db, DialectName, RootDb, SqlDialect, Trx, Violation, WriteRefusal } from './dialect.js';

const byName: Record<DialectName, SqlDialect> = { sqlite: sqliteDialect, postgres: postgresDialect };

export function dialectNamed(name: DialectName): SqlDialect {
  return byName[name];
}

/** The dialect of a handle or a transaction, read off the adapter Kysely was built with. */
export function dialectOf(db: Db): SqlDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return postgresDialect;
  if (adapter instanceof SqliteAdapter) return sqliteDialect;
  throw new Error(`unsupported SQL dialect adapter: ${adapter.constructor.name}`);
}

/** Every dialect, for code that must classify an error without a handle (the HTTP error mapper). */
export const allDialects: readonly SqlDialect[] = Object.values(byName);
