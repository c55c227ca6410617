import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from './dialect/index.js';
import { emailKey, usernameKey, usernameSkeleton } from './user-keys.js';
import { publicColumns, userFromRow, type User } from './user-row.js';
import type { UsersTable } from './schema.js';

export type NewUserRow = Insertable<UsersTable>;
export type UserPatch = Updateable<UsersTable>;

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(publicColumns).where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

/** A user with their password hash, for the few use cases that check passwords. */
export async function findCredentialsById(db: Db, id: number): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : undefined;
}

/** Login by email or unique username, case-insensitively. */
export async function findCredentialsByLogin(
  db: Db,
  login: string,
  by: 'email' | 'username' | 'either' = 'either',
): Promise<{ user: User; passwordHash: string } | undefined> {
  let q = db.selectFrom('users').selectAll();
  const byEmail = by !== 'username' && login.includes('@');
  if (by === 'email' || byEmail) q = q.where('email_key', '=', emailKey(login));
  else q = q.where('username_key', '=', usernameKey(login));
  let row = await q.executeTakeFirst();
  // A login name may itself contain "@" (Django allows it).
  if (!row && byEmail && by === 'either') {
    row = await db.selectFrom('users').selectAll().where('username_key', '=', usernameKey(login)).executeTakeFirst();
  }
  return row ? { user: userFromRow(row), passwordHash: row.password_hash } : undefined;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(publicColumns).where('email_key', '=', emailKey(email)).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

/**
 * Up to `limit` accounts whose username is exactly `username`, for profiles where usernames are
 * free, non-unique names (no username_key). Backed by the users_sort_username index on lower(username).
 */
export async function findUsersByUsername(db: Db, username: string, limit: number): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .select(publicColumns)
    .where(sql`lower(username)`, '=', sql`lower(${username})`)
    .where('username', '=', username)
    .limit(limit)
    .execute();
  return rows.map((row) => userFromRow(row));
}

export async function emailTaken(db: Db, email: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where('email_key', '=', emailKey(email));
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Taken when another account has this login name, or one that looks like it (the same confusable skeleton). */
export async function usernameTaken(db: Db, username: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where((eb) => eb.or([eb('username_key', '=', usernameKey(username)), eb('username_skeleton', '=', usernameSkeleton(username))]));
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertUser(db: Db, row: NewUserRow): Promise<User> {
  const inserted = await db.insertInto('users').values(row).returning(publicColumns).executeTakeFirstOrThrow();
  return userFromRow(inserted);
}

export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<User | undefined> {
  const row = await db.updateTable('users').set(patch).where('id', '=', id).returning(publicColumns).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}

/** A successful login's change to the account (last_login, the failure count reset, a rehash): no row comes back. */
export async function recordLogin(db: Db, id: number, patch: UserPatch): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function deleteUser(db: Db, id: number): Promise<boolean> {
  const res = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** No account has this id (ids start at 1): login failures for unknown logins run the same statements against it. */
export const noSuchUserId = 0;

/**
 * One more failed login for the account. The count comes back from the increment itself, so N
 * parallel wrong passwords count N and exactly one of them sees each lock threshold. Undefined for
 * an id no account has (the statement still runs, so an unknown login costs what a known one does).
 */
export async function countFailedLogin(db: Db, userId: number): Promise<number | undefined> {
  const row = await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.failed_logins);
}

/** Locks the account until `until`, never shortening a longer lock set by a parallel failure that reached a later threshold. */
export async function lockAccountUntil(db: Db, userId: number, until: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ locked_until: sql<number>`case when locked_until is null or locked_until < ${until} then ${until} else locked_until end` })
    .where('id', '=', userId)
    .execute();
}

