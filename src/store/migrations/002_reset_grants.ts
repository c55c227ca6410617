import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * One-time codes learn three things: when a reset code was verified, the hash of the
 * grant that verification issued, and the normalised address, so "email + code" finds its row.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('one_time_codes').addColumn('verified_at', big).execute();
  await db.schema.alterTable('one_time_codes').addColumn('grant_hash', 'text').execute();
  await db.schema.alterTable('one_time_codes').addColumn('email_key', 'text').execute();
  // SQLite cannot add a UNIQUE column; a unique index does the same on both dialects (NULLs may repeat).
  await db.schema.createIndex('one_time_codes_grant').on('one_time_codes').column('grant_hash').unique().execute();
  await db.schema.createIndex('one_time_codes_email').on('one_time_codes').columns(['email_key', 'purpose']).execute();
}
