import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/** The whole schema, for both dialects: times are epoch ms, flags 0/1. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const serial = (t: any) =>
    dialect === 'postgres'
      ? t.addColumn('id', 'bigserial', (c: any) => c.primaryKey())
      : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());
  const flag = (c: any) => c.notNull().defaultTo(0);

  await serial(db.schema.createTable('users'))
    .addColumn('username', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('username_key', 'text', (c: any) => c.unique())
    .addColumn('email', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('email_key', 'text', (c: any) => c.unique())
    .addColumn('password_hash', 'text', (c: any) => c.notNull())
    .addColumn('first_name', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('phone_number', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('date_of_birth', 'text')
    .addColumn('gender', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('bio', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('is_active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('is_staff', 'integer', flag)
    .addColumn('is_superuser', 'integer', flag)
    .addColumn('email_verified', 'integer', flag)
    .addColumn('approved', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('date_joined', big, (c: any) => c.notNull())
    .addColumn('last_login', big)
    .addColumn('password_changed_at', big, (c: any) => c.notNull())
    .addColumn('updated_at', big, (c: any) => c.notNull())
    .addColumn('failed_logins', 'integer', flag)
    .addColumn('locked_until', big)
    .addColumn('pending_email', 'text')
    .addColumn('avatar_etag', 'text')
    .execute();
  await db.schema.createIndex('users_date_joined').on('users').column('date_joined').execute();

  await db.schema
    .createTable('avatars')
    .addColumn('user_id', big, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('jwt'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revoked_at', big)
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('sessions_revoked').on('sessions').columns(['revoked_at', 'expires_at']).execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('rotated_at', big)
    .execute();
  await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').column('session_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('expires_at', big)
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('retired_at', big)
    .addColumn('expires_at', big)
    .execute();

  await serial(db.schema.createTable('audit_events'))
    .addColumn('at', big, (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('user_id', big)
    .addColumn('actor_id', big)
    .addColumn('ip', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_user').on('audit_events').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('audit_events_kind').on('audit_events').columns(['kind', 'at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('updated_by', big)
    .execute();

  await db.schema
    .createTable('one_time_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('consumed_at', big)
    .execute();
  await db.schema.createIndex('one_time_codes_user').on('one_time_codes').columns(['user_id', 'purpose']).execute();

  await serial(db.schema.createTable('outbox'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('to_addr', 'text', (c: any) => c.notNull())
    .addColumn('subject', 'text', (c: any) => c.notNull())
    .addColumn('text_body', 'text', (c: any) => c.notNull())
    .addColumn('html_body', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big, (c: any) => c.notNull())
    .addColumn('claimed_until', big)
    .addColumn('claimed_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', big, (c: any) => c.notNull())
    .addColumn('sent_at', big)
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  void sql;
}
