import { sql } from 'kysely';
import { dialectOf, type Db } from './dialect/index.js';
import type { UserRow } from './user-row.js';
import type { NewUserRow, UserPatch } from './users-repo.js';
import type { NewApiTokenRow } from './api-tokens-repo.js';

/** Most rows one insert statement carries (a parameter per column each). */
const insertChunk = 100;

/** The accounts with these ids, whole (hash included), to compare an import's rows against. */
export async function findUserRowsByIds(db: Db, ids: number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

/** Which accounts hold any of these login keys (the unique username and email keys). */
export async function findLoginKeyOwners(db: Db, usernameKeys: string[], emailKeys: string[]): Promise<{ id: number; username_key: string | null; email_key: string | null }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username_key', 'email_key'])
    .where((eb) => eb.or([eb('username_key', 'in', usernameKeys.length ? usernameKeys : ['']), eb('email_key', 'in', emailKeys.length ? emailKeys : [''])]))
    .execute();
  return rows.map((r) => ({ id: Number(r.id), username_key: r.username_key, email_key: r.email_key }));
}

/** An imported row's changes to an existing account. */
export async function patchImportedUser(db: Db, id: number, patch: UserPatch): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** New accounts with the ids they had in the source, a chunk of rows per statement. */
export async function insertImportedUsers(db: Db, rows: NewUserRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += insertChunk) await db.insertInto('users').values(rows.slice(i, i + insertChunk)).execute();
}

/**
 * After an import wrote ids explicitly: the id sequence continues past them (or the next sign-up
 * collides), and the planner gets fresh statistics for the bulk-written table.
 */
export async function finishUserImport(db: Db): Promise<void> {
  await dialectOf(db).continueIdsAfterMax(db, 'users');
  await sql`analyze users`.execute(db);
}

/** Which of these ids are accounts, and whether each is active (a DRF key import links keys to them). */
export async function findTokenOwners(db: Db, ids: number[]): Promise<Map<number, { isActive: boolean }>> {
  const owners = new Map<number, { isActive: boolean }>();
  for (let i = 0; i < ids.length; i += insertChunk * 5) {
    const rows = await db.selectFrom('users').select(['id', 'is_active']).where('id', 'in', ids.slice(i, i + insertChunk * 5)).execute();
    for (const r of rows) owners.set(Number(r.id), { isActive: Number(r.is_active) === 1 });
  }
  return owners;
}

/** Imported DRF keys as API-token rows (digests only), a chunk of rows per statement. */
export async function insertImportedApiTokens(db: Db, rows: NewApiTokenRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += insertChunk) await db.insertInto('api_tokens').values(rows.slice(i, i + insertChunk)).execute();
}
