import { quoteIdentifier, type SourceOptions, type SourceRow, type UserSource } from './source.js';

// Dates and timestamps as PostgreSQL writes them, read in UTC by the importer (pg would use local time).
const rawTextTypes = new Set([1082, 1114, 1184]);

/** A Django project's PostgreSQL database, read with keyset paging on the id column. */
export async function postgresSource(url: string, options: SourceOptions): Promise<UserSource> {
  // Loaded when an import runs, not at every server start.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (rawTextTypes.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  try {
    const table = options.table ?? 'auth_user';
    const quoted = quoteIdentifier(table, 'table');
    const found = await client.query('select to_regclass($1) as oid', [quoted]);
    if (found.rows[0]?.oid === null) {
      const like = await client.query("select table_schema || '.' || table_name as name from information_schema.columns where column_name = 'password' and table_schema not in ('pg_catalog', 'information_schema') order by 1 limit 20");
      const names = like.rows.map((r: { name: string }) => r.name);
      throw new Error(`no table "${table}" in the PostgreSQL database${names.length ? `; tables with a password column: ${names.join(', ')} (use --table)` : ''}`);
    }
    const columns = (await client.query(`select * from ${quoted} limit 0`)).fields.map((f) => f.name);
    const idColumn = quoteIdentifier(options.idColumn ?? 'id', 'column');
    return {
      label: `${table} in ${url.replace(/\/\/[^@/]*@/, '//***@')}`,
      builtinUserModel: table.split('.').at(-1) === 'auth_user',
      columns,
      async count() {
        return Number((await client.query(`select count(*) as n from ${quoted}`)).rows[0].n);
      },
      async *batches(size: number) {
        let after: unknown = null;
        for (;;) {
          const page = after === null
            ? await client.query(`select * from ${quoted} order by ${idColumn} limit $1`, [size])
            : await client.query(`select * from ${quoted} where ${idColumn} > $1 order by ${idColumn} limit $2`, [after, size]);
          if (page.rows.length === 0) return;
          yield page.rows as SourceRow[];
          after = (page.rows.at(-1) as SourceRow)[options.idColumn ?? 'id'];
          if (page.rows.length < size) return;
        }
      },
      async close() {
        await client.end();
      },
    };
  } catch (err) {
    await client.end();
    throw err;
  }
}
