import type { Selectable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { ResetDecoysTable } from './schema.js';

export type ResetDecoyRow = Selectable<ResetDecoysTable>;

/** Stores a decoy for an address, superseding its older ones (as a new real request deletes older codes). Run it in a transaction. */
export async function replaceResetDecoy(db: Db, row: Omit<ResetDecoyRow, 'attempts'>): Promise<void> {
  await db.deleteFrom('reset_decoys').where('email_key', '=', row.email_key).execute();
  await db.insertInto('reset_decoys').values({ ...row, attempts: 0 }).execute();
}

export async function findResetDecoyById(db: Db, id: string): Promise<ResetDecoyRow | undefined> {
  return db.selectFrom('reset_decoys').selectAll().where('id', '=', id).limit(1).executeTakeFirst();
}

/** The newest decoy handed out for an address. */
export async function findLatestResetDecoyByEmail(db: Db, emailKey: string): Promise<ResetDecoyRow | undefined> {
  return db.selectFrom('reset_decoys').selectAll().where('email_key', '=', emailKey).orderBy('created_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
}

/** Takes one guess atomically, as spendCodeAttempt does for real codes; the attempt number, or undefined past `max` or when gone. */
export async function spendDecoyAttempt(db: Db, id: string, max: number): Promise<number | undefined> {
  const row = await db
    .updateTable('reset_decoys')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', max)
    .returning('attempts')
    .executeTakeFirst();
  return row ? Number(row.attempts) : undefined;
}
