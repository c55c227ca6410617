import { dialectOf, type Db, type Trx } from './dialect/index.js';
import type { ServiceKeysTable } from './schema.js';

/** A service key as listed: everything but the digest. */
export type ServiceKeyRow = Omit<ServiceKeysTable, 'key_hash'>;

const listed = ['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'created_by'] as const;

export async function insertServiceKey(db: Db, row: ServiceKeysTable): Promise<void> {
  await db.insertInto('service_keys').values(row).execute();
}

/** Serialises key creations until `trx` ends, so the count of live keys cannot go stale between the cap check and the insert. */
export async function lockServiceKeyCreation(trx: Trx): Promise<void> {
  await dialectOf(trx).lockForTransaction(trx, 'service-key-create');
}

/** How many keys are live (not revoked), to cap them (after lockServiceKeyCreation). */
export async function countLiveServiceKeys(db: Db): Promise<number> {
  const row = await db.selectFrom('service_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Newest first, at most `limit` (live and revoked: a revoked key stays listed for the record). */
export async function listServiceKeys(db: Db, limit: number): Promise<ServiceKeyRow[]> {
  return db.selectFrom('service_keys').select(listed).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The live key with this digest (unique index), for authenticating a feed reader. */
export async function findLiveServiceKey(db: Db, keyHash: string): Promise<{ id: string; last_used_at: number | null } | undefined> {
  return db.selectFrom('service_keys').select(['id', 'last_used_at']).where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

/** Marks a key used, unless it already was within the last `slackMs` (the condition keeps it to one write per window, whatever the races). */
export async function touchServiceKey(db: Db, id: string, now: number, slackMs: number): Promise<void> {
  await db
    .updateTable('service_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - slackMs)]))
    .execute();
}

/** Revokes a live key; returns it, or undefined when there is no such live key. */
export async function revokeServiceKey(db: Db, id: string, now: number): Promise<ServiceKeyRow | undefined> {
  return db.updateTable('service_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returning(listed).executeTakeFirst();
}

export async function findServiceKey(db: Db, id: string): Promise<ServiceKeyRow | undefined> {
  return db.selectFrom('service_keys').select(listed).where('id', '=', id).executeTakeFirst();
}
