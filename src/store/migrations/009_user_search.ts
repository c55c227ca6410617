import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * The text PostgreSQL's trigram index covers: the searchable fields joined by spaces. A search
 * word never holds whitespace, so it never matches across two fields. The admin user search
 * (store/dialect/*-user-search.ts) uses this exact expression, or the index is not used.
 */
export const userSearchText = sql<string>`(username || ' ' || email || ' ' || first_name || ' ' || last_name)`;

/**
 * Admin user search by substring, index-backed at any table size: a pg_trgm GIN index on
 * PostgreSQL (ILIKE '%word%' uses it), an FTS5 trigram table on SQLite kept in step with
 * `users` by triggers (contentless, rowid = users.id, so it stores only the index).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    // Extensions are per database: one migration at a time installs it (tests migrate many
    // schemas at once), and in `public`, so dropping a schema never drops another's index.
    await sql`select pg_advisory_xact_lock(hashtext('gatehouse:pg_trgm'))`.execute(db);
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    const { rows } = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
    const ops = sql.id(rows[0]!.schema, 'gin_trgm_ops');
    await sql`create index users_search_trgm on users using gin (${userSearchText} ${ops})`.execute(db);
    return;
  }
  await sql`
    create virtual table user_search using fts5(
      username, email, first_name, last_name,
      tokenize = 'trigram case_sensitive 0', content = '', contentless_delete = 1
    )`.execute(db);
  const columns = sql`username, email, first_name, last_name`;
  const values = sql`new.id, new.username, new.email, new.first_name, new.last_name`;
  await sql`insert into user_search (rowid, ${columns}) select id, ${columns} from users`.execute(db);
  await sql`create trigger users_search_insert after insert on users begin
    insert into user_search (rowid, ${columns}) values (${values}); end`.execute(db);
  await sql`create trigger users_search_update after update of username, email, first_name, last_name on users begin
    delete from user_search where rowid = old.id;
    insert into user_search (rowid, ${columns}) values (${values}); end`.execute(db);
  await sql`create trigger users_search_delete after delete on users begin
    delete from user_search where rowid = old.id; end`.execute(db);
}
