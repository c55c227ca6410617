import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * The language an account reads its mail in (core/locales.ts): set at sign-up from the client's
 * Accept-Language, changed with PATCH /v1/me; null means the deployment's default.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
}
