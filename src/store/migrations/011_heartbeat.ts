import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * One row per running instance, rewritten by every readiness probe (http/system-routes.ts):
 * `/readyz` proves the database takes writes, not only reads, and the rows say which
 * instances were seen lately.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('heartbeats')
    .addColumn('instance', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', big, (c) => c.notNull())
    .execute();
}
