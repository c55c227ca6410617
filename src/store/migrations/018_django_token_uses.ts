import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Credentials of the old Django system that Gatehouse has taken over or must refuse, one row each:
 * - a SimpleJWT refresh token's `jti`, when the token is exchanged for a Gatehouse session
 *   (core/django-tokens) or was blacklisted in Django (`import-django --tokens`);
 * - `authtoken:<digest>` and `refresh:<digest>`, for a DRF key or a seed-004 refresh UUID that
 *   `import-django --tokens` copied, so a re-run never brings back one deleted since.
 * The primary key makes the first exchange or copy the only one. `expires_at` is when the old
 * credential expires (null: never, as DRF keys); past it the row only takes space.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('django_token_uses')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('used_at', big, (c) => c.notNull())
    .addColumn('expires_at', big)
    .execute();
  await db.schema.createIndex('django_token_uses_expiry').on('django_token_uses').column('expires_at').execute();
}
