import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Every delete the cleanup job batches (jobs/cleanup.ts) is a range on one indexed column, so a
 * batch reads only the rows it deletes, whatever the table's size or the planner's statistics.
 * Already indexed: audit_events.at, outbox (status, next_attempt_at), sessions (revoked_at, …),
 * reset_decoys.expires_at.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('sessions_last_used').on('sessions').column('last_used_at').execute();
  await db.schema.createIndex('refresh_tokens_expires').on('refresh_tokens').column('expires_at').execute();
  await db.schema.createIndex('one_time_codes_expires').on('one_time_codes').column('expires_at').execute();
  await db.schema.createIndex('one_time_codes_consumed').on('one_time_codes').column('consumed_at').execute();
  await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();
}
