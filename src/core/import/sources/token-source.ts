import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { quoteIdentifier, type SourceRow } from './source.js';

/** The Django tables that hold live credentials, as the seeds' apps name them. */
export const tokenTables = {
  /** rest_framework.authtoken: key (40 hex, the primary key), user_id, created. */
  authtoken: 'authtoken_token',
  /** Seed 004's users.RefreshToken: token (UUID), user_id, created_at, expires_at. */
  refresh: 'users_refreshtoken',
  /** rest_framework_simplejwt.token_blacklist: every refresh token issued, and those used up. */
  outstanding: 'token_blacklist_outstandingtoken',
  blacklisted: 'token_blacklist_blacklistedtoken',
} as const;

/** Reads token rows from the Django database in pages, keyset-ordered, never a whole table at once. */
export interface TokenSource {
  label: string;
  /** Which of `tokenTables` the database has. */
  has: Record<keyof typeof tokenTables, boolean>;
  /** Rows of `select` (with `{after}` and `{limit}` placeholders), page after page, keyed on `key`. */
  pages(select: (p: { after: string | null; limit: string }) => string, key: string, size: number): AsyncIterable<SourceRow[]>;
  close(): Promise<void>;
}

interface Reader {
  tables(): Promise<Set<string>>;
  all(sql: string, params: unknown[]): Promise<SourceRow[]>;
  placeholder(n: number): string;
  close(): Promise<void>;
}

function sqliteReader(file: string): Reader {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  return {
    async tables() {
      return new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
    },
    async all(sql, params) {
      return db.prepare(sql).all(...params) as SourceRow[];
    },
    placeholder: () => '?',
    async close() {
      db.close();
    },
  };
}

async function postgresReader(url: string): Promise<Reader> {
  const { default: pg } = await import('pg');
  // Timestamps as PostgreSQL writes them, read in UTC by the importer (pg would use local time).
  const raw = new Set([1082, 1114, 1184]);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (raw.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  return {
    async tables() {
      const rows = await client.query("select table_name as name from information_schema.tables where table_schema = any (current_schemas(false))");
      return new Set(rows.rows.map((r: { name: string }) => r.name));
    },
    async all(sql, params) {
      return (await client.query(sql, params)).rows as SourceRow[];
    },
    placeholder: (n) => `$${n}`,
    async close() {
      await client.end();
    },
  };
}

/** The Django database of `from` (a SQLite file or a postgres:// URL), for `import-django --tokens`. */
export async function openTokenSource(from: string): Promise<TokenSource> {
  let reader: Reader;
  let label: string;
  if (/^postgres(ql)?:\/\//.test(from)) {
    reader = await postgresReader(from);
    label = from.replace(/\/\/[^@/]*@/, '//***@');
  } else {
    const file = from.startsWith('sqlite:') ? from.slice('sqlite:'.length) : from;
    if (!existsSync(file)) throw new Error(`no such file: ${file}`);
    try {
      reader = sqliteReader(file);
      await reader.tables();
    } catch {
      throw new Error(`${file} is not a SQLite database (a dumpdata file is read by authtoken-source.ts)`);
    }
    label = file;
  }
  const present = await reader.tables();
  const has = Object.fromEntries(Object.entries(tokenTables).map(([k, table]) => [k, present.has(table)])) as TokenSource['has'];
  return {
    label,
    has,
    async *pages(select, key, size) {
      let after: unknown = null;
      for (;;) {
        const params: unknown[] = after === null ? [size] : [after, size];
        const sql = select({ after: after === null ? null : reader.placeholder(1), limit: reader.placeholder(after === null ? 1 : 2) });
        const rows = await reader.all(sql, params);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < size) return;
        after = rows.at(-1)![key];
      }
    },
    close: () => reader.close(),
  };
}

/** `"table"."column"`, checked. */
export const q = (table: string, column?: string) => quoteIdentifier(column ? `${table}.${column}` : table);
