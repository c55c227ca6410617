import { sql } from 'kysely';
import type { Db } from './dialect/index.js';
import type { OidcClientsTable, OidcModelsTable } from './schema.js';

export type OidcModelRow = OidcModelsTable;
export type OidcClientRow = OidcClientsTable;
/** A client as listed: everything but the secret's digest. */
export type OidcClientListed = Omit<OidcClientRow, 'secret_hash'>;

const listed = ['client_id', 'name', 'redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'scopes', 'api_scopes', 'auth_method', 'first_party', 'access_token_ttl', 'refresh_token_ttl', 'backchannel_logout_uri', 'created_at', 'created_by', 'revoked_at'] as const;

// ---- provider state: one row per (model, id) ----

const upsertColumns = sql`insert into oidc_models (model, id, payload, grant_id, client_id, uid, user_code, expires_at, consumed_at) values `;
const onConflictReplace = sql` on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, client_id = excluded.client_id, uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at, consumed_at = excluded.consumed_at`;
const rowValues = (row: OidcModelRow) => sql`(${row.model}, ${row.id}, ${row.payload}, ${row.grant_id}, ${row.client_id}, ${row.uid}, ${row.user_code}, ${row.expires_at}, ${row.consumed_at})`;

/**
 * Inserts or replaces a model's row (the provider saves a model again when it changes it). Every
 * token the provider issues is one of these, so it is written as SQL text: the builder's
 * insert-with-conflict costs several times more to assemble and compile than the statement costs
 * SQLite to run (issue 15's token-endpoint profile). `excluded` is the same on both dialects.
 */
export async function upsertOidcModel(db: Db, row: OidcModelRow): Promise<void> {
  await sql`${upsertColumns}${rowValues(row)}${onConflictReplace}`.execute(db);
}

/**
 * The same for several rows in one statement (one commit; oidc-model-writes.ts groups the
 * provider's concurrent saves). The rows must have distinct (model, id): PostgreSQL refuses to
 * update one row twice in a statement.
 */
export async function upsertOidcModels(db: Db, rows: readonly OidcModelRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`${upsertColumns}${sql.join(rows.map(rowValues))}${onConflictReplace}`.execute(db);
}

/** The row unless it has expired (`now` in ms). */
export function findOidcModel(db: Db, model: string, id: string, now: number): Promise<Pick<OidcModelRow, 'payload' | 'consumed_at'> | undefined> {
  return db
    .selectFrom('oidc_models')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

export function findOidcModelByUid(db: Db, model: string, uid: string, now: number): Promise<Pick<OidcModelRow, 'payload' | 'consumed_at'> | undefined> {
  return db
    .selectFrom('oidc_models')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where('uid', '=', uid)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

export function findOidcModelByUserCode(db: Db, model: string, userCode: string, now: number): Promise<Pick<OidcModelRow, 'payload' | 'consumed_at'> | undefined> {
  return db
    .selectFrom('oidc_models')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where('user_code', '=', userCode)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

/**
 * Marks a code or token used; only the first consumption counts. Returns whether this call was
 * it (false: another request consumed it first, or it is gone) and the row's grant.
 */
export async function consumeOidcModel(db: Db, model: string, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('oidc_models').set({ consumed_at: now }).where('model', '=', model).where('id', '=', id).where('consumed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function grantOfOidcModel(db: Db, model: string, id: string): Promise<string | null | undefined> {
  return (await db.selectFrom('oidc_models').select('grant_id').where('model', '=', model).where('id', '=', id).executeTakeFirst())?.grant_id;
}

/** Deletes a grant and everything it issued, of every model (a code or refresh token was replayed). */
export async function deleteOidcGrant(db: Db, grantId: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute();
  await db.deleteFrom('oidc_models').where('model', '=', 'Grant').where('id', '=', grantId).execute();
}

export async function destroyOidcModel(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_models').where('model', '=', model).where('id', '=', id).execute();
}

/** Deletes what a grant issued of one model (the provider asks per model; the grant's own row is separate). */
export async function revokeOidcGrant(db: Db, model: string, grantId: string): Promise<number> {
  const result = await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).where('model', '=', model).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to about `size` expired rows (`expires_at` before `before`): the batch is bounded by
 * the `size`-th expiry in index order, so both statements are ranges on `oidc_models_expires`
 * (the key is two columns, so rows are not picked by key as the other cleanup rules do).
 */
export async function pruneExpiredOidcBatch(db: Db, before: number, size: number): Promise<number> {
  const edge = await db
    .selectFrom('oidc_models')
    .select('expires_at')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<', before)
    .orderBy('expires_at')
    .offset(size - 1)
    .limit(1)
    .executeTakeFirst();
  const upTo = db.deleteFrom('oidc_models').where('expires_at', 'is not', null);
  const result = await (edge?.expires_at != null ? upTo.where('expires_at', '<=', edge.expires_at) : upTo.where('expires_at', '<', before)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- clients ----

export async function insertOidcClient(db: Db, row: OidcClientRow): Promise<void> {
  await db.insertInto('oidc_clients').values(row).execute();
}

/** A live (not revoked) client, with its secret's digest, for the provider. */
export function findLiveOidcClient(db: Db, clientId: string): Promise<OidcClientRow | undefined> {
  return db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null).executeTakeFirst();
}

export function findOidcClient(db: Db, clientId: string): Promise<OidcClientListed | undefined> {
  return db.selectFrom('oidc_clients').select(listed).where('client_id', '=', clientId).executeTakeFirst();
}

/** Newest first, revoked ones too. */
export function listOidcClients(db: Db, limit: number): Promise<OidcClientListed[]> {
  return db.selectFrom('oidc_clients').select(listed).orderBy('created_at', 'desc').orderBy('client_id', 'desc').limit(limit).execute();
}

export async function countLiveOidcClients(db: Db): Promise<number> {
  const row = await db.selectFrom('oidc_clients').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Deletes the grants, codes and tokens a client holds (it was revoked). */
export async function deleteOidcClientState(db: Db, clientId: string): Promise<number> {
  const result = await db.deleteFrom('oidc_models').where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Revokes a live client; returns it, or undefined when there is no such live client. */
export function revokeOidcClient(db: Db, clientId: string, now: number): Promise<OidcClientListed | undefined> {
  return db.updateTable('oidc_clients').set({ revoked_at: now }).where('client_id', '=', clientId).where('revoked_at', 'is', null).returning(listed).executeTakeFirst();
}
