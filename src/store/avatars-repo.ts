import type { Db } from './dialect/index.js';

export interface AvatarRow {
  userId: number;
  contentType: string;
  data: Uint8Array;
  etag: string;
  updatedAt: number;
}

/** Stores (or replaces) the account's avatar and its etag on the account, in `db`'s transaction. */
export async function saveAvatar(db: Db, avatar: AvatarRow): Promise<void> {
  const row = { user_id: avatar.userId, content_type: avatar.contentType, data: Buffer.from(avatar.data), etag: avatar.etag, updated_at: avatar.updatedAt };
  await db.insertInto('avatars').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
  await db.updateTable('users').set({ avatar_etag: avatar.etag }).where('id', '=', avatar.userId).execute();
}

export async function findAvatar(db: Db, userId: number): Promise<AvatarRow | undefined> {
  const row = await db.selectFrom('avatars').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? { userId, contentType: row.content_type, data: row.data, etag: row.etag, updatedAt: row.updated_at } : undefined;
}

/** Removes the account's avatar and clears its etag; false when it had none. */
export async function removeAvatar(db: Db, userId: number): Promise<boolean> {
  const res = await db.deleteFrom('avatars').where('user_id', '=', userId).executeTakeFirst();
  await db.updateTable('users').set({ avatar_etag: null }).where('id', '=', userId).execute();
  return Number(res.numDeletedRows) > 0;
}
