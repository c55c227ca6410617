import { sql, type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';

/**
 * PostgreSQL introspection limited to the schema in use (the first of search_path).
 * Kysely's own looks at every schema of the database: its migrator then mistakes another
 * schema's `kysely_migration` for ours (and `migrate` fails), the query grows with every
 * schema, and it errors when a schema is dropped while it runs.
 */
export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; table: string; kind: string; column: string; type: string; nullable: string; has_default: boolean; identity: string }>`
      select c.table_schema as schema, c.table_name as table, t.table_type as kind, c.column_name as column, c.udt_name as type,
             c.is_nullable as nullable, (c.column_default is not null) as has_default, coalesce(c.column_default, '') as identity
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && r.table.startsWith('kysely_migration')) continue;
      let table = tables.get(r.table);
      if (!table) tables.set(r.table, (table = { name: r.table, schema: r.schema, isView: r.kind === 'VIEW', columns: [] }));
      table.columns.push({
        name: r.column,
        dataType: r.type,
        isNullable: r.nullable === 'YES',
        hasDefaultValue: r.has_default,
        isAutoIncrementing: r.identity.startsWith('nextval('),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
