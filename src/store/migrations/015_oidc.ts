import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect/dialect.js';

/**
 * The OAuth 2.1 / OpenID Connect provider (src/oidc): its state and its clients.
 *
 * `oidc_models` holds every model oidc-provider stores (sessions, interactions, grants, codes,
 * access and refresh tokens, …), keyed (model, id) with the payload as JSON. The provider looks
 * rows up by grant (revoking a grant), by session uid and by user code, so each gets an index, as
 * does the client (revoking a client deletes its grants and tokens);
 * expired rows are deleted by the cleanup job by `expires_at` (ms; null: no expiry).
 *
 * `oidc_clients` are the registered relying parties; the secret is stored only as a digest.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('oidc_models')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('expires_at', big)
    .addColumn('consumed_at', big)
    .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_models_grant').on('oidc_models').column('grant_id').where('grant_id', 'is not', null).execute();
  // Revoking a client deletes what it holds.
  await db.schema.createIndex('oidc_models_client').on('oidc_models').column('client_id').where('client_id', 'is not', null).execute();
  await db.schema.createIndex('oidc_models_uid').on('oidc_models').columns(['model', 'uid']).where('uid', 'is not', null).execute();
  await db.schema.createIndex('oidc_models_user_code').on('oidc_models').columns(['model', 'user_code']).where('user_code', 'is not', null).execute();
  await db.schema.createIndex('oidc_models_expires').on('oidc_models').column('expires_at').where('expires_at', 'is not', null).execute();

  await db.schema
    .createTable('oidc_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('api_scopes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('access_token_ttl', 'integer')
    .addColumn('refresh_token_ttl', 'integer')
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('created_by', big, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', big)
    .execute();
  await db.schema.createIndex('oidc_clients_created').on('oidc_clients').columns(['created_at', 'client_id']).execute();
  await db.schema.createIndex('oidc_clients_created_by').on('oidc_clients').column('created_by').execute();
}
