import { createHash } from 'node:crypto';
import type { Core } from './core.js';
import type { Db } from './context.js';
import { afterCommit, inTransaction } from './transaction.js';
import { AuthError } from './errors.js';
import { findAvatar, removeAvatar, saveAvatar } from '../store/avatars-repo.js';

/** What the avatar use cases need: the store, a clock, the size limit, and the account cache to drop. */
export type AvatarCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config' | 'users'>;

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

/**
 * The one set of checks an uploaded image passes (not empty, within the size limit, a type read
 * from its bytes), as field errors on `avatar`. Answers the image's type.
 */
export function checkAvatarImage(ctx: Pick<Core, 'config'>, data: Uint8Array): string {
  if (data.length === 0) throw new AuthError('validation_failed', undefined, { avatar: ['The submitted file is empty.'] });
  if (data.length > ctx.config.avatarMaxBytes) {
    throw new AuthError('payload_too_large', undefined, { avatar: [`The image is larger than ${ctx.config.avatarMaxBytes} bytes.`] });
  }
  const contentType = sniffImageType(data);
  if (!contentType) {
    throw new AuthError('validation_failed', undefined, { avatar: ['Upload a valid image. The file you uploaded was either not an image or a corrupted image.'] });
  }
  return contentType;
}

/**
 * Checks and stores the account's avatar. With `db` an open transaction (registration's `within`),
 * it is written in that transaction and stands or falls with it; cached copies of the account go
 * once it commits.
 */
export async function setAvatar(ctx: AvatarCtx, userId: number, data: Uint8Array, db: Db = ctx.db): Promise<Avatar> {
  const contentType = checkAvatarImage(ctx, data);
  const avatar: Avatar = { contentType, data, etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"`, updatedAt: ctx.clock.now() };
  await inTransaction(ctx, async (trx) => {
    await saveAvatar(trx, { userId, ...avatar });
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
  }, db);
  return avatar;
}

export async function getAvatar(ctx: Pick<Core, 'db'>, userId: number): Promise<Avatar | undefined> {
  const row = await findAvatar(ctx.db, userId);
  return row ? { contentType: row.contentType, data: row.data, etag: row.etag, updatedAt: row.updatedAt } : undefined;
}

/** Removes the account's avatar (in `db`'s transaction when it is one); false when it had none. */
export async function deleteAvatar(ctx: AvatarCtx, userId: number, db: Db = ctx.db): Promise<boolean> {
  return inTransaction(ctx, async (trx) => {
    const removed = await removeAvatar(trx, userId);
    await afterCommit(ctx, trx, () => ctx.users.invalidate(userId));
    return removed;
  }, db);
}
