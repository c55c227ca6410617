import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * The multi-factor requirement (core/mfa/enrolment-requirement.ts): when each account's enrolment
 * grace began (one row per account, by primary key), and the short-lived enrolment tokens an
 * account past its grace gets instead of a session (by digest; by user for ending access; by
 * expiry for the cleanup job).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('mfa_enrolment_grace')
    .addColumn('user_id', big, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('started_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mfa_enrolment_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mfa_enrolment_tokens_user').on('mfa_enrolment_tokens').column('user_id').execute();
  await db.schema.createIndex('mfa_enrolment_tokens_expires').on('mfa_enrolment_tokens').column('expires_at').execute();
}
