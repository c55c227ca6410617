import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Reset requests for addresses with no active account ("decoys") are kept in the database like
 * real requests, so they survive restarts and are pruned by the same rule: their answers to code
 * guesses never tell a real account from none.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('reset_decoys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reset_decoys_email').on('reset_decoys').columns(['email_key', 'created_at']).execute();
  await db.schema.createIndex('reset_decoys_expires').on('reset_decoys').column('expires_at').execute();
}
