import { createHash } from 'node:crypto';
import type { Core } from './core.js';
import { afterCommit, inTransaction } from './transaction.js';
import { AuthError } from './errors.js';

export interface Avatar {
  contentType: string;
  data: Uint8Array;
  etag: string;
  updatedAt: number;
}

/** Image type from the file's first bytes; the client's claimed type is not trusted. */
export function sniffImageType(b: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  return undefined;
}

export async function setAvatar(core: Core, userId: number, data: Uint8Array): Promise<Avatar> {
  if (data.length === 0) throw new AuthError('validation_failed', undefined, { avatar: ['The submitted file is empty.'] });
  if (data.length > core.config.avatarMaxBytes) {
    throw new AuthError('payload_too_large', undefined, { avatar: [`The image is larger than ${core.config.avatarMaxBytes} bytes.`] });
  }
  const contentType = sniffImageType(data);
  if (!contentType) {
    throw new AuthError('validation_failed', undefined, { avatar: ['Upload a valid image. The file you uploaded was either not an image or a corrupted image.'] });
  }
  const avatar: Avatar = { contentType, data, etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"`, updatedAt: core.clock.now() };
  const row = { user_id: userId, content_type: contentType, data: Buffer.from(data), etag: avatar.etag, updated_at: avatar.updatedAt };
  await inTransaction(core, async (trx) => {
    await trx.insertInto('avatars').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(row)).execute();
    await trx.updateTable('users').set({ avatar_etag: avatar.etag }).where('id', '=', userId).execute();
    await afterCommit(core, trx, () => core.users.invalidate(userId));
  });
  return avatar;
}

export async function getAvatar(core: Core, userId: number): Promise<Avatar | undefined> {
  const row = await core.db.selectFrom('avatars').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? { contentType: row.content_type, data: row.data, etag: row.etag, updatedAt: row.updated_at } : undefined;
}

export async function deleteAvatar(core: Core, userId: number): Promise<boolean> {
  return inTransaction(core, async (trx) => {
    const res = await trx.deleteFrom('avatars').where('user_id', '=', userId).executeTakeFirst();
    await trx.updateTable('users').set({ avatar_etag: null }).where('id', '=', userId).execute();
    await afterCommit(core, trx, () => core.users.invalidate(userId));
    return Number(res.numDeletedRows) > 0;
  });
}
