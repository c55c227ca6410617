import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import type { SqlDialect, Violation, WriteRefusal } from './dialect.js';
import { sqliteUserSearch } from './sqlite-user-search.js';

// better-sqlite3 puts SQLite's extended result code in `code` and the constraint in the message:
// "UNIQUE constraint failed: users.email_key" (several columns are comma-separated).
const violationCodes: Record<string, Violation['kind']> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_MISMATCH: 'invalid_value',
};

/**
 * `PRAGMA optimize` flags for a connection's first run: check every table (0x10000) and analyse
 * those that need it (0x2) under a row limit (0x10), so a large database still opens fast.
 */
export const sqliteOptimizeFlags = '0x10012';

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function failedColumns(message: string): { table?: string; columns: string[] } {
  const list = /constraint failed: (.+)$/.exec(message)?.[1];
  if (!list) return { columns: [] };
  const names = list.split(',').map((s) => s.trim());
  const table = names[0]?.includes('.') ? names[0].split('.')[0] : undefined;
  return { table, columns: names.map((n) => n.slice(n.indexOf('.') + 1)) };
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  writableCte: false,
  violation(err) {
    const code = errorCode(err);
    const kind = code ? (violationCodes[code] ?? (code === 'SQLITE_CONSTRAINT' ? 'check' : undefined)) : undefined;
    if (!kind) return undefined;
    return { kind, ...failedColumns(String((err as Error).message ?? '')) };
  },
  writeRefusal(err): WriteRefusal | undefined {
    const code = errorCode(err);
    // Extended codes (SQLITE_READONLY_DBMOVED, SQLITE_READONLY_DIRECTORY, …) share the primary's prefix.
    if (code?.startsWith('SQLITE_READONLY')) return 'read-only';
    if (code === 'SQLITE_FULL') return 'disk full';
    return undefined;
  },
  transient(err) {
    const code = errorCode(err);
    return code === 'SQLITE_BUSY' || code?.startsWith('SQLITE_BUSY_') === true;
  },
  claimable: (query) => query,
  inSmallSet(column: RawBuilder<unknown>, subquery: SelectQueryBuilder<any, any, any>): RawBuilder<SqlBool> {
    return sql<SqlBool>`${column} in (${subquery})`;
  },
  // One process writes a SQLite file at a time (the busy timeout queues the rest): nothing to skip.
  exclusively: <T>(db: Kysely<Database>, _name: string, work: (db: Kysely<Database>) => Promise<T>) => work(db),
  lockForTransaction: async () => {},
  auditFamily: (kind) => sql<string>`substr(${kind}, 1, instr(${kind}, '.'))`,
  cleanupBatch: { rows: 100, batchesPerPass: 1000 },
  // SQLite has no autovacuum to gather statistics: new tables and indexes get them at once.
  async gatherStatistics(db) {
    await sql.raw(`pragma optimize=${sqliteOptimizeFlags}`).execute(db);
  },
  userSearch: sqliteUserSearch,
  // SQLite's INTEGER PRIMARY KEY continues from the highest id by itself.
  continueIdsAfterMax: async () => {},
};
