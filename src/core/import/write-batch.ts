import type { Db } from '../context.js';
import type { Core } from '../core.js';
import { endAccess } from '../end-access.js';
import { afterCommit, inTransaction } from '../transaction.js';
import { emailKey, usernameKey } from '../users/normalize.js';
import { usernameSkeleton } from '../users/skeleton.js';
import type { UserRow } from '../users/user.js';
import { dialectOf } from '../../store/dialect/index.js';
import { findLoginKeyOwners, findUserRowsByIds, insertImportedUsers, patchImportedUser } from '../../store/import-repo.js';
import type { NewUserRow, UserPatch } from '../../store/users-repo.js';
import type { ImportedUser, LoginField, PreparedRow } from './prepare-row.js';

/** What importing needs: the store, a clock, the account cache, and what ending a deactivated account's access takes. */
export type ImportCtx = Pick<Core, 'db' | 'log' | 'clock' | 'users'> & Parameters<typeof endAccess>[0];

export type RowResult = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface RowOutcome {
  label: string;
  result: RowResult;
  /** Why a row was skipped. */
  reason?: string;
  notes: string[];
}

export interface WriteOptions {
  loginField: LoginField;
  /** New accounts with an email count as verified (they were in use). */
  emailsVerified: boolean;
  /** Replace a password Gatehouse already set or upgraded (argon2id) with the Django hash. */
  overwritePasswords: boolean;
  dryRun: boolean;
}

/** Thrown inside the transaction to roll a dry run back, carrying what would have happened. */
class DryRunRollback extends Error {
  constructor(readonly outcomes: RowOutcome[]) {
    super('dry run');
  }
}

/** A row the database refused that the checks did not foresee (a swap of addresses in one batch, a concurrent sign-up, a value the column cannot hold). */
function isRowError(db: Db, err: unknown): boolean {
  return dialectOf(db).violation(err) !== undefined;
}

/** Gatehouse's own hashes start with `$argon2`; imported Django ones with their algorithm name. */
function setInGatehouse(hash: string): boolean {
  return hash.startsWith('$argon2');
}

function changes(prev: UserRow, next: UserPatch): UserPatch {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined && (prev as Record<string, unknown>)[key] !== value) patch[key] = value;
  }
  return patch as UserPatch;
}

/** The columns a Django row sets as they are, on insert and on update alike. */
function djangoColumns(user: ImportedUser, keys: { username: string | null; email: string | null }) {
  return {
    username: user.username,
    username_key: keys.username,
    username_skeleton: keys.username === null ? null : usernameSkeleton(user.username),
    email: user.email,
    email_key: keys.email,
    first_name: user.first_name,
    last_name: user.last_name,
    phone_number: user.phone_number,
    date_of_birth: user.date_of_birth,
    gender: user.gender,
    bio: user.bio,
    is_active: user.is_active,
    is_staff: user.is_staff,
    is_superuser: user.is_superuser,
  };
}

/** The Django values an existing account takes; Gatehouse-side facts (a newer login, a verified address, a new password) are kept. */
function updatePatch(prev: UserRow, user: ImportedUser, keys: { username: string | null; email: string | null }, options: WriteOptions, now: number): UserPatch {
  const next: UserPatch = {
    ...djangoColumns(user, keys),
    date_joined: user.date_joined ?? undefined,
    last_login: user.last_login !== null && (prev.last_login === null || user.last_login > prev.last_login) ? user.last_login : undefined,
    approved: user.approved,
    email_verified: user.email_verified === 1 ? 1 : user.unusableEmail ? 0 : undefined,
  };
  // An unusable placeholder is random each run: one already stored stands for the same thing.
  const sameUnusable = user.unusablePassword && prev.password_hash.startsWith('!');
  if (!sameUnusable && (options.overwritePasswords || !setInGatehouse(prev.password_hash))) next.password_hash = user.passwordHash;
  const patch = changes(prev, next);
  if (patch.password_hash !== undefined) patch.password_changed_at = now;
  if (Object.keys(patch).length) patch.updated_at = now;
  return patch;
}

function insertRow(user: ImportedUser, keys: { username: string | null; email: string | null }, options: WriteOptions, now: number): NewUserRow {
  return {
    id: user.id,
    ...djangoColumns(user, keys),
    password_hash: user.passwordHash,
    email_verified: user.email_verified ?? (options.emailsVerified && user.email ? 1 : 0),
    approved: user.approved ?? 1,
    date_joined: user.date_joined ?? now,
    last_login: user.last_login,
    password_changed_at: now,
    updated_at: now,
    failed_logins: 0,
    locked_until: null,
    pending_email: null,
    avatar_etag: null,
  };
}

/** Writes one batch in `trx`: checks every login key against Gatehouse's accounts and the rows before it, then updates and inserts. */
async function applyRows(ctx: ImportCtx, trx: Db, rows: PreparedRow[], options: WriteOptions, now: number): Promise<RowOutcome[]> {
  const users = rows.map((r) => r.user!);
  const existing = new Map((await findUserRowsByIds(trx, users.map((u) => u.id))).map((r) => [Number(r.id), r]));
  const usernameKeys = options.loginField === 'username' ? users.map((u) => usernameKey(u.username)) : [];
  const emailKeys = users.filter((u) => u.email).map((u) => emailKey(u.email));
  const owners = await findLoginKeyOwners(trx, usernameKeys, emailKeys);
  const byUsername = new Map<string, number>();
  const byEmail = new Map<string, number>();
  const own = (id: number, keys: { username: string | null; email: string | null }) => {
    if (keys.username) byUsername.set(keys.username, id);
    if (keys.email) byEmail.set(keys.email, id);
  };
  const release = (id: number, keys: { username: string | null; email: string | null }) => {
    if (keys.username && byUsername.get(keys.username) === id) byUsername.delete(keys.username);
    if (keys.email && byEmail.get(keys.email) === id) byEmail.delete(keys.email);
  };
  for (const o of owners) own(o.id, { username: o.username_key, email: o.email_key });

  const outcomes: RowOutcome[] = [];
  const inserts: NewUserRow[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const user = row.user!;
    const notes = [...row.notes];
    const skip = (reason: string) => outcomes.push({ label: row.label, result: 'skipped', reason, notes });
    const keys = { username: options.loginField === 'username' ? usernameKey(user.username) : null, email: user.email && !user.unusableEmail ? emailKey(user.email) : null };
    const usernameOwner = keys.username ? byUsername.get(keys.username) : undefined;
    if (usernameOwner !== undefined && usernameOwner !== user.id) {
      skip(`username "${user.username}" already belongs to Gatehouse user ${usernameOwner} (usernames are unique regardless of case)`);
      continue;
    }
    const emailOwner = keys.email ? byEmail.get(keys.email) : undefined;
    if (emailOwner !== undefined && emailOwner !== user.id) {
      if (options.loginField === 'email') {
        skip(`email "${user.email}" already belongs to Gatehouse user ${emailOwner} (emails are unique regardless of case)`);
        continue;
      }
      notes.push(`email shared with user ${emailOwner}: kept as the address, but it cannot log in or reset a password`);
      keys.email = null;
    }
    if (seen.has(user.id)) {
      skip(`id ${user.id} appears more than once in the source; its first row was used`);
      continue;
    }
    seen.add(user.id);
    const prev = existing.get(user.id);
    if (prev) {
      const sameAccount = (prev.username_key !== null && prev.username_key === usernameKey(user.username)) || (prev.email_key !== null && prev.email_key === (user.email ? emailKey(user.email) : null));
      if (!sameAccount) {
        skip(`id ${user.id} already belongs to a different Gatehouse account (${prev.email || prev.username}); import into an empty Gatehouse`);
        continue;
      }
      const patch = updatePatch(prev, user, keys, options, now);
      if (Object.keys(patch).length === 0) {
        outcomes.push({ label: row.label, result: 'unchanged', notes });
        continue;
      }
      await patchImportedUser(trx, user.id, patch);
      release(user.id, { username: prev.username_key, email: prev.email_key });
      own(user.id, keys);
      // Cached copies go once the batch commits; a deactivated account also loses all access.
      await afterCommit(ctx, trx, () => ctx.users.invalidate(user.id));
      if (prev.is_active === 1 && user.is_active === 0) await endAccess(ctx, trx, user.id, 'deactivated');
      outcomes.push({ label: row.label, result: 'updated', notes });
      continue;
    }
    own(user.id, keys);
    inserts.push(insertRow(user, keys, options, now));
    outcomes.push({ label: row.label, result: 'created', notes });
  }
  // After the updates, so an address one account gives up in this batch is free for a new one.
  await insertImportedUsers(trx, inserts);
  return outcomes;
}

async function applyInTransaction(ctx: ImportCtx, rows: PreparedRow[], options: WriteOptions, now: number): Promise<RowOutcome[]> {
  try {
    return await inTransaction(ctx, async (trx) => {
      const outcomes = await applyRows(ctx, trx, rows, options, now);
      if (options.dryRun) throw new DryRunRollback(outcomes);
      return outcomes;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.outcomes;
    throw err;
  }
}

/**
 * Imports one batch of prepared rows in one transaction. If the database refuses something the
 * checks did not foresee, the batch is retried row by row so only the offending rows are skipped.
 * Deactivated accounts lose their sessions, tokens and codes in the same transaction; once it
 * commits, that is announced and caches drop the changed accounts (nothing for a dry run).
 */
export async function writeBatch(ctx: ImportCtx, rows: PreparedRow[], options: WriteOptions, now: number): Promise<RowOutcome[]> {
  const writable = rows.filter((r) => r.user);
  const skipped: RowOutcome[] = rows.filter((r) => !r.user).map((r) => ({ label: r.label, result: 'skipped', reason: r.skip, notes: r.notes }));
  if (writable.length === 0) return skipped;
  try {
    return [...skipped, ...(await applyInTransaction(ctx, writable, options, now))];
  } catch (err) {
    if (!isRowError(ctx.db, err)) throw err;
  }
  const outcomes: RowOutcome[] = [];
  for (const row of writable) {
    try {
      outcomes.push(...(await applyInTransaction(ctx, [row], options, now)));
    } catch (rowErr) {
      if (!isRowError(ctx.db, rowErr)) throw rowErr;
      outcomes.push({ label: row.label, result: 'skipped', reason: `the database refused it: ${(rowErr as Error).message}`, notes: row.notes });
    }
  }
  return [...skipped, ...outcomes];
}
