import type { Insertable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { ApiTokensTable } from './schema.js';

export type NewApiTokenRow = Insertable<ApiTokensTable>;

/** What a client may see of a token: never its digest. */
export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

/** What resolving a presented key needs. */
export interface ApiTokenGrant {
  id: string;
  userId: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** Deletes the account's API tokens (all but `exceptId`) and returns their digests, for the caches to forget. */
export async function deleteUserApiTokens(db: Db, userId: number, exceptId?: string): Promise<string[]> {
  let q = db.deleteFrom('api_tokens').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const deleted = await q.returning(['token_hash']).execute();
  return deleted.map((t) => t.token_hash);
}

export async function countUserApiTokens(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertApiToken(db: Db, row: NewApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function findApiTokenByDigest(db: Db, digest: string): Promise<ApiTokenGrant | undefined> {
  const row = await db.selectFrom('api_tokens').select(['id', 'user_id', 'expires_at', 'last_used_at']).where('token_hash', '=', digest).executeTakeFirst();
  return row && { id: row.id, userId: Number(row.user_id), expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

export async function touchApiToken(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** The account's tokens, newest first. */
export async function listUserApiTokens(db: Db, userId: number): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Deletes one of the account's tokens (by id) or all of them; returns what went, for the audit and the caches. */
export async function deleteApiTokensOf(db: Db, userId: number, id?: string): Promise<{ id: string; token_hash: string }[]> {
  let q = db.deleteFrom('api_tokens').where('user_id', '=', userId);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.returning(['id', 'token_hash']).execute();
}
