import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * The database Kysely's SqliteDialect is given, with a prepared-statement cache: its driver calls
 * `prepare(sql)` for every query, and parsing and planning the SQL again costs more than running
 * most of Gatehouse's statements. Statements are keyed by SQL text (parameters are bound per run)
 * and the least recently used is dropped past `max`, so SQL built with a varying number of
 * placeholders cannot grow it without bound. A better-sqlite3 Statement is reusable; one still
 * being iterated (`busy`, a streamed query) is not shared: the caller gets a fresh one. SQLite
 * re-prepares a cached statement itself after a schema change (migrations).
 */
export function cachingStatements(database: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql: string) => {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Most recently used last: a Map iterates in insertion order.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      if (hit) return stmt;
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}
