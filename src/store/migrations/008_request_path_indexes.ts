import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Every query a request sends is index-backed whatever the planner's statistics
 * (test/perf/explain.test.ts): each index below serves one request path that otherwise scanned
 * or sorted a table that grows with use. The admin list's sort keys are expressions
 * (core/admin/users-query.ts), so their indexes are on the same expressions, with the id tie-break.
 * An index that is a prefix of a new one is dropped: it served nothing the new one does not, and
 * every write paid for it.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  // Ending an account's access deletes its console sessions (core/end-access.ts).
  await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').execute();
  // The dashboard's recent sessions of one account, newest use first.
  await db.schema.createIndex('sessions_user_used').on('sessions').columns(['user_id', 'last_used_at']).execute();
  // An account's API tokens, newest first.
  await db.schema.createIndex('api_tokens_user_created').on('api_tokens').columns(['user_id', 'created_at']).execute();
  await db.schema.dropIndex('api_tokens_user').execute();
  // The newest code of an address and purpose.
  await db.schema.createIndex('one_time_codes_email_created').on('one_time_codes').columns(['email_key', 'purpose', 'created_at']).execute();
  await db.schema.dropIndex('one_time_codes_email').execute();
  // The admin mail page of one status, newest first.
  await db.schema.createIndex('outbox_status_id').on('outbox').columns(['status', 'id']).execute();
  // The admin user list, each sort in both directions (the cursor is (sort key, id)).
  await db.schema.createIndex('users_sort_joined').on('users').columns(['date_joined', 'id']).execute();
  await db.schema.dropIndex('users_date_joined').execute();
  await sql`create index users_sort_username on users (lower(username), id)`.execute(db);
  await sql`create index users_sort_email on users (lower(email), id)`.execute(db);
  await sql`create index users_sort_last_login on users (coalesce(last_login, 0), id)`.execute(db);
}
