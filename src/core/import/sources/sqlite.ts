import SQLite from 'better-sqlite3';
import { quoteIdentifier, type SourceOptions, type SourceRow, type UserSource } from './source.js';

/** A Django project's SQLite file, opened read-only. */
export function sqliteSource(file: string, options: SourceOptions): UserSource {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const table = options.table ?? 'auth_user';
    const quoted = quoteIdentifier(table, 'table');
    const exists = db.prepare("select name from sqlite_master where type = 'table' and name = ?").get(table);
    if (!exists) {
      const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
      const withPassword = tables.filter((t) => (db.prepare(`pragma table_info(${quoteIdentifier(t, 'table')})`).all() as { name: string }[]).some((c) => c.name === 'password'));
      throw new Error(`no table "${table}" in ${file}${withPassword.length ? `; tables with a password column: ${withPassword.join(', ')} (use --table)` : ''}`);
    }
    const columns = (db.prepare(`pragma table_info(${quoted})`).all() as { name: string }[]).map((c) => c.name);
    const idColumn = quoteIdentifier(options.idColumn ?? 'id', 'column');
    return {
      label: `${table} in ${file}`,
      builtinUserModel: table === 'auth_user',
      columns,
      async count() {
        return Number((db.prepare(`select count(*) as n from ${quoted}`).get() as { n: number }).n);
      },
      async *batches(size: number) {
        let batch: SourceRow[] = [];
        for (const row of db.prepare(`select * from ${quoted} order by ${idColumn}`).iterate() as Iterable<SourceRow>) {
          batch.push(row);
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      },
      async close() {
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
