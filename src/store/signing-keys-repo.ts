import type { Selectable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { SigningKeysTable } from './schema.js';

export type SigningKeyRow = Selectable<SigningKeysTable>;

/** Every stored key of `alg`, oldest first (the newest unretired one signs). */
export function loadSigningKeys(db: Db, alg: string): Promise<SigningKeyRow[]> {
  return db.selectFrom('signing_keys').selectAll().where('alg', '=', alg).orderBy('created_at', 'asc').execute();
}

export async function insertSigningKey(db: Db, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}

/** Retires every key but `kids` that still signs: it verifies until `expiresAt`. */
export async function retireSigningKeysExcept(db: Db, kids: string[], retiredAt: number, expiresAt: number): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ retired_at: retiredAt, expires_at: expiresAt })
    .where('kid', 'not in', kids)
    .where('retired_at', 'is', null)
    .execute();
}
