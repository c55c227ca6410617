import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../schema.js';
import type { SqlDialect, Violation, WriteRefusal } from './dialect.js';
import { postgresUserSearch } from './postgres-user-search.js';

// SQLSTATEs (PostgreSQL appendix A). pg puts them in `code`, with `table`, `column` and `detail`.
const violationStates: Record<string, Violation['kind']> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23502': 'not_null',
  '23514': 'check',
};
// Class 22 (data exception): a value the column cannot hold (out of range, bad encoding, NUL in text).
const invalidValueClass = '22';
const refusals: Record<string, WriteRefusal> = { '25006': 'read-only', '53100': 'disk full' };
// Shutting down, starting up, too many connections, connection exceptions.
const transientStates = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);

interface PgError {
  code?: unknown;
  table?: string;
  column?: string;
  detail?: string;
}

function columnsOf(e: PgError): string[] {
  if (e.column) return [e.column];
  // "Key (email_key)=(a@b) already exists." / "Key (a, b)=(…) is not present in table …"
  const list = /^Key \(([^)]*)\)=/.exec(e.detail ?? '')?.[1];
  return list ? list.split(',').map((s) => s.trim().replace(/^"|"$/g, '')) : [];
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  writableCte: true,
  violation(err) {
    const e = (err ?? {}) as PgError;
    if (typeof e.code !== 'string') return undefined;
    const kind = violationStates[e.code] ?? (e.code.startsWith(invalidValueClass) ? 'invalid_value' : undefined);
    return kind ? { kind, table: e.table, columns: columnsOf(e) } : undefined;
  },
  writeRefusal(err) {
    const code = (err as PgError | null)?.code;
    return typeof code === 'string' ? refusals[code] : undefined;
  },
  transient(err) {
    const code = (err as PgError | null)?.code;
    return typeof code === 'string' && transientStates.has(code);
  },
  claimable: (query) => query.forUpdate().skipLocked(),
  inSmallSet(column: RawBuilder<unknown>, subquery: SelectQueryBuilder<any, any, any>): RawBuilder<SqlBool> {
    return sql<SqlBool>`${column} = any(array(${subquery}))`;
  },
  async exclusively<T>(db: Kysely<Database>, name: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T | undefined> {
    // A session-level advisory lock lives on one connection: take it, work and release on that one.
    return db.connection().execute(async (conn) => {
      const key = sql`hashtext(${`gatehouse.${name}.`} || current_schema())`;
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(conn);
      if (!rows[0]?.locked) return undefined;
      try {
        return await work(conn);
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn);
      }
    });
  },
  async lockForTransaction(trx, name) {
    await sql`select pg_advisory_xact_lock(hashtext(${`gatehouse.${name}.`} || current_schema()))`.execute(trx);
  },
  auditFamily: (kind) => sql<string>`substr(${kind}, 1, strpos(${kind}, '.'))`,
  cleanupBatch: { rows: 1000, batchesPerPass: 100 },
  // Autovacuum analyses new and changed tables by itself.
  gatherStatistics: async () => {},
  userSearch: postgresUserSearch,
  async continueIdsAfterMax(db, table) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), m) from (select max(id) as m from ${sql.table(table)}) as t where m is not null`.execute(db);
  },
};
