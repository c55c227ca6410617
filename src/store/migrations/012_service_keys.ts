import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Service keys: the credentials resource servers read the revocation feed with. The feed pages
 * revoked sessions by (revoked_at, id), so that order gets its own index (the 001 index is
 * (revoked_at, expires_at) and would leave ties on revoked_at to a sort). The foreign key to users
 * is indexed so deleting a user is not a scan of the keys.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('service_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('revoked_at', big)
    .addColumn('created_by', big, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('service_keys_created').on('service_keys').columns(['created_at', 'id']).execute();
  // Deleting a user sets created_by null: without this index that is a scan of every key.
  await db.schema.createIndex('service_keys_created_by').on('service_keys').column('created_by').execute();
  await db.schema.createIndex('sessions_revoked_feed').on('sessions').columns(['revoked_at', 'id']).execute();
}
