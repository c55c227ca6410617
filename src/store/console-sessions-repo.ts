import type { Insertable, Selectable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { ConsoleSessionsTable } from './schema.js';

export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;

/** Stores a new console session, first dropping every session already expired at its start. */
export async function openConsoleSession(db: Db, session: Insertable<ConsoleSessionsTable>): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', session.created_at).execute();
  await db.insertInto('console_sessions').values(session).execute();
}

export async function findConsoleSession(db: Db, idHash: string): Promise<ConsoleSessionRow | undefined> {
  const row = await db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return row && { ...row, user_id: Number(row.user_id) };
}

export async function touchConsoleSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.updateTable('console_sessions').set({ last_used_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteConsoleSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
}

/** Deletes every console session of the account; returns how many. */
export async function deleteUserConsoleSessions(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom('console_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
