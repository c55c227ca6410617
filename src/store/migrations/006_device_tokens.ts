import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Device tokens (core/device-tokens.ts): a client that logged in to an account before proves it
 * with a token stored here as its digest, and skips that account's lock and login budget. A table
 * of its own, so security state never has to be read back out of the audit log.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('device_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_tokens_user').on('device_tokens').columns(['user_id', 'created_at']).execute();
  // The cleanup job deletes expired tokens by this range.
  await db.schema.createIndex('device_tokens_expires').on('device_tokens').column('expires_at').execute();
}
