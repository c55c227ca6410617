import type { Kysely, RawBuilder, SelectQueryBuilder, SqlBool, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { UserSearchSql } from './user-search.js';

/** The database itself (a pool or an embedded file), not a transaction: what opens transactions and connections. */
export type RootDb = Kysely<Database>;
/** An open transaction, as `openTransaction` hands it to its work. */
export type Trx = Transaction<Database>;
/** A database handle or an open transaction: repositories accept either. */
export type Db = RootDb | Trx;

export type DialectName = 'sqlite' | 'postgres';

/** A write the schema refused, in the same terms on every dialect. */
export interface Violation {
  kind: 'unique' | 'foreign_key' | 'not_null' | 'check' | 'invalid_value';
  /** The table and columns involved, when the driver says (unique and not-null violations do on both). */
  table?: string;
  columns: string[];
}

/** The database answers but will not take writes: a replica, a read-only mount, a full disk. */
export type WriteRefusal = 'read-only' | 'disk full';

/**
 * Every difference between the SQL dialects Gatehouse runs on, behind one small interface (as
 * Kysely puts a dialect behind four factories). Repositories ask the handle they were given for
 * its dialect (`dialectOf(db)`) and never branch on a dialect's name; a third dialect is one more
 * file implementing this.
 */
export interface SqlDialect {
  readonly name: DialectName;
  /**
   * Data-modifying statements in WITH (PostgreSQL): a repository may do in one round trip what
   * otherwise takes several statements in a transaction (cheap on an embedded database).
   */
  readonly writableCte: boolean;
  /** Which constraint a failed write broke, or undefined when `err` is not a constraint violation. */
  violation(err: unknown): Violation | undefined;
  /** Why the database refused a write it would otherwise take, or undefined. */
  writeRefusal(err: unknown): WriteRefusal | undefined;
  /** True when the database cannot serve right now (restarting, too many connections, busy) and a retry may work. */
  transient(err: unknown): boolean;
  /**
   * Rows for a claim that concurrent claimers must not share: on PostgreSQL `FOR UPDATE SKIP LOCKED`
   * so they take disjoint rows without waiting; SQLite has one writer, so the query stays as it is.
   */
  claimable<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * `column` is one of the (small) subquery's values, in the form each planner turns into index
   * lookups: PostgreSQL plans a plain IN as a hash join over a scan of the whole table.
   */
  inSmallSet(column: RawBuilder<unknown>, subquery: SelectQueryBuilder<any, any, any>): RawBuilder<SqlBool>;
  /**
   * Runs `work` holding a lock named `name` (per schema) that other instances' calls skip rather
   * than wait for; undefined when another holds it. `work` gets the connection holding the lock.
   */
  exclusively<T>(db: Kysely<Database>, name: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T | undefined>;
  /**
   * Waits for a lock named `name` (per schema) that `trx` then holds until it ends: a transaction
   * that counts before it inserts (a cap) takes it first, so two cannot both pass the count. SQLite
   * runs one write transaction at a time already.
   */
  lockForTransaction(trx: Trx, name: string): Promise<void>;
  /** After rows were inserted with explicit ids, makes the table's id sequence continue past the highest. */
  continueIdsAfterMax(db: Db, table: keyof Database & string): Promise<void>;
  /**
   * The family of an audit kind, its dot included (`login.` for `login.failed`, '' for `logout`):
   * the expression the (family, at, id) index of migration 010 holds; a query must repeat it exactly.
   */
  auditFamily(kind: RawBuilder<unknown>): RawBuilder<string>;
  /**
   * Rows per cleanup delete statement and statements per rule and pass. SQLite runs each statement
   * on the event loop (a 1000-row batch of a 10M-row audit log took 40–140 ms there, bench
   * `history`), so it deletes fewer rows at a time and more times; PostgreSQL runs them elsewhere.
   */
  readonly cleanupBatch: { readonly rows: number; readonly batchesPerPass: number };
  /** Gives the planner statistics for tables and indexes just created (after migrations); a no-op where the server gathers them itself. */
  gatherStatistics(db: Kysely<Database>): Promise<void>;
  /** Admin user search by substring over migration 009's index (pg_trgm or FTS5). */
  readonly userSearch: UserSearchSql;
}
