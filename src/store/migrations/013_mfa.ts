import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Multi-factor sign-in (core/mfa/totp*.ts, recovery-codes.ts, mfa-token.ts): an account's
 * authenticator-app secret (sealed; one row per account, confirmed once a code proved it), its
 * recovery codes (HMACs, single use, by user_id), the mfa_tokens of logins waiting for their
 * second factor (by digest; the cleanup job prunes them by expires_at) and the authentication
 * methods a session was opened with (its access tokens' `amr`, kept across refreshes).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', big, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', big)
    .addColumn('last_step', big, (c) => c.notNull().defaultTo(-1))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('used_at', big)
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();
  await db.schema
    .createTable('mfa_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_token_id', 'text')
    // The device token as the client presented it, sealed: the verify step hands it back like a login does.
    .addColumn('device_token_enc', 'text')
    .addColumn('factors', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('used_at', big)
    .execute();
  await db.schema.createIndex('mfa_tokens_expires').on('mfa_tokens').column('expires_at').execute();
  await db.schema.createIndex('mfa_tokens_user').on('mfa_tokens').column('user_id').execute();
  // Space-separated RFC 8176 values; null for sessions opened before this migration.
  await db.schema.alterTable('sessions').addColumn('amr', 'text').execute();
}
