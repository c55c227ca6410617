import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';
import { dialectNamed } from '../dialect/index.js';

/** What each account-state count of the overview counts (store/stats-repo.ts), on a row `r`. */
const counted = (r: string) => ({
  total: sql.raw('true'),
  active: sql.raw(`(${r}.is_active = 1)`),
  staff: sql.raw(`(${r}.is_staff = 1 or ${r}.is_superuser = 1)`),
  pending: sql.raw(`(${r}.approved = 0 and ${r}.is_active = 1)`),
  unverified: sql.raw(`(${r}.email_verified = 0)`),
});
export const userCountColumns = ['total', 'active', 'staff', 'pending', 'unverified'] as const;
const flagColumns = sql.raw('is_active, is_staff, is_superuser, approved, email_verified');

/**
 * The admin list's filters and the overview's counts, index-backed or O(1) at any size
 * (test/perf/explain.test.ts):
 * - a flag filter on the default sort (date joined) walks an index of that flag in order: a
 *   composite (flag, date_joined, id) for the two-valued flags, a partial index for the rare
 *   states (staff, awaiting activation; literals in the query, so SQLite can use them), and a
 *   partial index of the accounts ever locked;
 * - an audit family (`login.`) walks (family, at, id), the family an expression of the kind, so
 *   nothing that writes audit rows changes;
 * - `user_counts`, one row, holds the overview's account counts, kept exact by triggers in the
 *   same transaction as every insert, delete or flag change of a user (whoever writes it).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.createIndex('users_active_joined').on('users').columns(['is_active', 'date_joined', 'id']).execute();
  await db.schema.createIndex('users_verified_joined').on('users').columns(['email_verified', 'date_joined', 'id']).execute();
  await sql`create index users_staff_joined on users (date_joined, id) where is_staff = 1 or is_superuser = 1`.execute(db);
  await sql`create index users_pending_joined on users (date_joined, id) where approved = 0 and is_active = 1`.execute(db);
  await sql`create index users_locked_until on users (locked_until) where locked_until is not null`.execute(db);
  // The family expression lives in the seam: the audit page's filter (store/audit-repo.ts) repeats it, or this index is not used.
  await sql`create index audit_events_family on audit_events (${dialectNamed(dialect).auditFamily(sql.ref('kind'))}, at, id)`.execute(db);

  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  const countColumns = userCountColumns.map((c) => sql`${sql.ref(c)} ${sql.raw(big)} not null`);
  await sql`create table user_counts (id integer primary key, ${sql.join(countColumns)})`.execute(db);
  const u = counted('u');
  const sums = userCountColumns.map((c) => sql`coalesce(sum(case when ${u[c]} then 1 else 0 end), 0)`);
  await sql`insert into user_counts (id, ${sql.join(userCountColumns.map((c) => sql.ref(c)))}) select 1, ${sql.join(sums)} from users u`.execute(db);

  const delta = (sign: '+' | '-', r: string) => userCountColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} ${sql.raw(sign)} (case when ${counted(r)[c]} then 1 else 0 end)`);
  if (dialect === 'sqlite') {
    await sql`create trigger users_counts_insert after insert on users begin
      update user_counts set ${sql.join(delta('+', 'new'))} where id = 1; end`.execute(db);
    await sql`create trigger users_counts_delete after delete on users begin
      update user_counts set ${sql.join(delta('-', 'old'))} where id = 1; end`.execute(db);
    const change = userCountColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} + (case when ${counted('new')[c]} then 1 else 0 end) - (case when ${counted('old')[c]} then 1 else 0 end)`);
    await sql`create trigger users_counts_update after update of ${flagColumns} on users begin
      update user_counts set ${sql.join(change)} where id = 1; end`.execute(db);
    return;
  }
  // PostgreSQL: inserts and deletes once per statement (a bulk import or seed is one counter
  // update), over the transition table; a flag change once per row, only when a flag changed.
  // Each function keeps this schema's search path, so a session with another one (psql) still finds user_counts.
  const statementSums = (sign: '+' | '-') => userCountColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} ${sql.raw(sign)} (select count(*) from changed r where ${counted('r')[c]})`);
  await sql.raw(`create function user_counts_added() returns trigger language plpgsql set search_path from current as $$ begin
      update user_counts set ${compile(db, statementSums('+'))} where id = 1; return null; end $$`).execute(db);
  await sql.raw(`create function user_counts_removed() returns trigger language plpgsql set search_path from current as $$ begin
      update user_counts set ${compile(db, statementSums('-'))} where id = 1; return null; end $$`).execute(db);
  const change = userCountColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} + (${counted('new')[c]})::int - (${counted('old')[c]})::int`);
  await sql.raw(`create function user_counts_changed() returns trigger language plpgsql set search_path from current as $$ begin
      update user_counts set ${compile(db, change)} where id = 1; return null; end $$`).execute(db);
  await sql`create trigger users_counts_insert after insert on users referencing new table as changed for each statement execute function user_counts_added()`.execute(db);
  await sql`create trigger users_counts_delete after delete on users referencing old table as changed for each statement execute function user_counts_removed()`.execute(db);
  const changed = sql.join(['is_active', 'is_staff', 'is_superuser', 'approved', 'email_verified'].map((c) => sql`old.${sql.ref(c)} is distinct from new.${sql.ref(c)}`), sql` or `);
  await sql`create trigger users_counts_update after update of ${flagColumns} on users for each row when (${changed}) execute function user_counts_changed()`.execute(db);
}

/** A fragment as SQL text (a function body is a string literal: no bound parameters inside it). */
function compile(db: Kysely<any>, parts: RawBuilder<unknown>[]): string {
  const compiled = sql.join(parts).compile(db);
  if (compiled.parameters.length) throw new Error('a trigger body takes no parameters');
  return compiled.sql;
}
