import type { Db } from './dialect/index.js';

/** When the account's enrolment grace began, if it has begun. */
export async function findGraceStart(db: Db, userId: number): Promise<number | undefined> {
  const row = await db.selectFrom('mfa_enrolment_grace').select('started_at').where('user_id', '=', userId).executeTakeFirst();
  return row ? Number(row.started_at) : undefined;
}

/** Starts (or restarts) the account's grace at `at`; concurrent logins settle on one row. */
export async function startGrace(db: Db, userId: number, at: number): Promise<void> {
  await db.insertInto('mfa_enrolment_grace').values({ user_id: userId, started_at: at }).onConflict((oc) => oc.column('user_id').doUpdateSet({ started_at: at })).execute();
}

/** Starts the account's grace at `at` unless it has begun; answers when it began. */
export async function startGraceOnce(db: Db, userId: number, at: number): Promise<number> {
  await db.insertInto('mfa_enrolment_grace').values({ user_id: userId, started_at: at }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  return (await findGraceStart(db, userId)) ?? at;
}

/** Forgets the account's grace (a reset of its factors starts a new one). */
export async function deleteGrace(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('mfa_enrolment_grace').where('user_id', '=', userId).execute();
}

export async function insertEnrolmentToken(db: Db, row: { token_hash: string; user_id: number; session_id: string; created_at: number; expires_at: number }): Promise<void> {
  await db.insertInto('mfa_enrolment_tokens').values(row).execute();
}

/** The unexpired enrolment token with this digest. */
export async function findEnrolmentToken(db: Db, tokenHash: string, now: number): Promise<{ user_id: number; session_id: string; expires_at: number } | undefined> {
  const row = await db
    .selectFrom('mfa_enrolment_tokens')
    .select(['user_id', 'session_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { user_id: Number(row.user_id), session_id: row.session_id, expires_at: Number(row.expires_at) } : undefined;
}

/** Every enrolment token of the account (ending its access, or a finished enrolment); answers how many. */
export async function deleteUserEnrolmentTokens(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom('mfa_enrolment_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
