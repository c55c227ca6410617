import type { Insertable, Selectable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { PasskeysTable, WebauthnChallengesTable } from './schema.js';

export type PasskeyRow = Selectable<PasskeysTable>;
export type NewPasskey = Insertable<PasskeysTable>;
export type NewWebauthnChallenge = Insertable<WebauthnChallengesTable>;

/** A passkey as the account and the ceremonies see it (the public key stays in the row). */
export interface StoredPasskey {
  id: string;
  userId: number;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

function transportsOf(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

function toPasskey(row: PasskeyRow): StoredPasskey {
  return {
    id: row.id,
    userId: Number(row.user_id),
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: transportsOf(row.transports),
    aaguid: row.aaguid,
    deviceType: row.device_type,
    backedUp: Number(row.backed_up) === 1,
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** The account's passkeys, oldest first. */
export async function listUserPasskeys(db: Db, userId: number): Promise<StoredPasskey[]> {
  const rows = await db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toPasskey);
}

/** Whether the account has at least one passkey (the factor source asks this on every login). */
export async function userHasPasskey(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('passkeys').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function countUserPasskeys(db: Db, userId: number): Promise<number> {
  const rows = await db.selectFrom('passkeys').select('id').where('user_id', '=', userId).execute();
  return rows.length;
}

export async function findUserPasskey(db: Db, userId: number, id: string): Promise<StoredPasskey | undefined> {
  const row = await db.selectFrom('passkeys').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row && toPasskey(row);
}

/** The passkey with this credential id, whoever's it is. */
export async function findPasskeyByCredentialId(db: Db, credentialId: string): Promise<StoredPasskey | undefined> {
  const row = await db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
  return row && toPasskey(row);
}

/** Stores a new passkey; a credential id already stored (any account) is a unique violation. */
export async function insertPasskey(db: Db, row: NewPasskey): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

/**
 * Records a use: the new counter and the time, only if the counter is still what the check read
 * (so two assertions racing on one credential cannot both move it). Returns whether it moved.
 */
export async function recordPasskeyUse(db: Db, id: string, expectedCounter: number, counter: number, backedUp: boolean, now: number): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter, backed_up: backedUp ? 1 : 0, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', expectedCounter)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function renameUserPasskey(db: Db, userId: number, id: string, name: string): Promise<boolean> {
  const result = await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes one of the account's passkeys; returns it (for the audit row and the mail), or undefined. */
export async function deleteUserPasskey(db: Db, userId: number, id: string): Promise<{ name: string } | undefined> {
  const row = await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).returning('name').executeTakeFirst();
  return row && { name: row.name };
}

/** Deletes every passkey of the account (an operator's MFA reset); returns how many. */
export async function deleteUserPasskeys(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertWebauthnChallenge(db: Db, row: NewWebauthnChallenge): Promise<void> {
  await db.insertInto('webauthn_challenges').values(row).execute();
}

/**
 * Takes the unexpired challenge for `purpose` out of the table in one statement: of two requests
 * carrying it, one gets the row and the other nothing. Returns what it was bound to.
 */
export async function consumeWebauthnChallenge(
  db: Db,
  challenge: string,
  purpose: string,
  now: number,
): Promise<{ userId: number | null; mfaTokenHash: string | null } | undefined> {
  const row = await db
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
    .returning(['user_id', 'mfa_token_hash'])
    .executeTakeFirst();
  return row && { userId: row.user_id === null ? null : Number(row.user_id), mfaTokenHash: row.mfa_token_hash };
}
