import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Webhooks (docs/webhooks.md): the endpoints an administrator registers, and one delivery row per
 * (event, endpoint), written in the transaction of the change it reports and worked off like the
 * mail outbox (lease in claimed_by / claimed_until).
 *
 * Indexes: (status, next_attempt_at) for the claim and the cleanup job; (endpoint_id, user_id,
 * status, id) for the per-user ordering check (is an earlier delivery of this user still queued?)
 * and cascade deletes; (status, id) for the dead-letter list; (endpoint_id, id) for an endpoint's
 * deliveries. `user_id` has no foreign key: a user.deleted delivery outlives the user.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('previous_secret_enc', 'text')
    .addColumn('previous_secret_until', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('created_by', big, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('webhook_endpoints_created_by').on('webhook_endpoints').column('created_by').execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('user_id', big)
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', big)
    .addColumn('last_error', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_excerpt', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('delivered_at', big)
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_user_queue').on('webhook_deliveries').columns(['endpoint_id', 'user_id', 'status', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_status').on('webhook_deliveries').columns(['status', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
}
