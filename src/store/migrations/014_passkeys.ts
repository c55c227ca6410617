import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * Passkeys (WebAuthn credentials, core/mfa/passkeys.ts) and the challenges their ceremonies are
 * bound to. A credential id is unique across all accounts (an authenticator's id names one
 * credential); an account lists its passkeys by (user_id, created_at). A challenge is stored
 * until it is used once or expires: the login by its primary key, the cleanup job by expires_at.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', big, (c) => c.notNull().defaultTo(0))
    .addColumn('transports', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('aaguid', 'text', (c) => c.notNull())
    .addColumn('device_type', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('mfa_token_hash', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  // The cleanup job deletes expired challenges by this range; deleting a user finds its challenges by user_id.
  await db.schema.createIndex('webauthn_challenges_expires').on('webauthn_challenges').column('expires_at').execute();
  await db.schema.createIndex('webauthn_challenges_user').on('webauthn_challenges').column('user_id').execute();
}
