/** One row of the Django user table, column name → value. */
export type SourceRow = Record<string, unknown>;

/** Where users are read from: a Django database table or a dumpdata file. */
export interface UserSource {
  /** What is read, for messages (`auth_user in /srv/app/db.sqlite3`). */
  label: string;
  /** True for Django's built-in user table (auth_user / auth.user), whose login is the unique username. */
  builtinUserModel: boolean;
  columns: string[];
  count(): Promise<number>;
  /** Every row, `size` at a time, ordered by the id column. */
  batches(size: number): AsyncIterable<SourceRow[]>;
  close(): Promise<void>;
}

export interface SourceOptions {
  /** Table name (default auth_user); `schema.table` on PostgreSQL. */
  table?: string;
  /** dumpdata model label (`auth.user`, `users.user`); default auth.user, or the only model with a password field. */
  model?: string;
  /** The id column (ordering and keyset paging), when --map names another. */
  idColumn?: string;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A table or column name, double-quoted after checking it is a plain identifier (no SQL gets through). */
export function quoteIdentifier(name: string, what = 'name'): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => identifier.test(p))) throw new Error(`invalid ${what} "${name}": letters, digits and _ only (optionally schema.table)`);
  return parts.map((p) => `"${p}"`).join('.');
}
