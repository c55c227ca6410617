import type { Insertable } from 'kysely';
import type { Db } from './dialect/index.js';
import type { DjangoTokenUsesTable } from './schema.js';

export type DjangoTokenUse = Insertable<DjangoTokenUsesTable>;

/**
 * Records an old credential (a refresh token's `jti`) as used; true when this call recorded it. The primary key
 * decides between concurrent presentations: on PostgreSQL a second insert waits for the first
 * transaction and then does nothing; SQLite runs one writer at a time.
 */
export async function claimDjangoToken(db: Db, use: DjangoTokenUse): Promise<boolean> {
  const row = await db.insertInto('django_token_uses').values(use).onConflict((oc) => oc.column('token_id').doNothing()).returning('token_id').executeTakeFirst();
  return row !== undefined;
}

/** The session an old refresh token was exchanged for, with its account's state (a primary-key lookup and two joins on primary keys). */
export interface DjangoTokenSession {
  sessionId: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
  revokedAt: number | null;
  isActive: number;
}

export async function findDjangoTokenSession(db: Db, tokenId: string): Promise<{ session: DjangoTokenSession | undefined } | undefined> {
  const row = await db
    .selectFrom('django_token_uses')
    .leftJoin('sessions', 'sessions.id', 'django_token_uses.session_id')
    .leftJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.user_id', 'sessions.created_at', 'sessions.expires_at', 'sessions.last_used_at', 'sessions.revoked_at', 'users.is_active'])
    .where('django_token_uses.token_id', '=', tokenId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.session_id === null || row.user_id === null) return { session: undefined };
  return {
    session: {
      sessionId: row.session_id,
      userId: Number(row.user_id),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      lastUsedAt: Number(row.last_used_at),
      revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
      isActive: Number(row.is_active ?? 0),
    },
  };
}

/** Records old credentials (an import); returns the ids this call recorded, leaving those already there as they are. */
export async function insertDjangoTokenUses(db: Db, uses: DjangoTokenUse[]): Promise<Set<string>> {
  const added = new Set<string>();
  for (let i = 0; i < uses.length; i += 100) {
    const rows = await db.insertInto('django_token_uses').values(uses.slice(i, i + 100)).onConflict((oc) => oc.column('token_id').doNothing()).returning('token_id').execute();
    for (const r of rows) added.add(r.token_id);
  }
  return added;
}

const cutoffId = (userId: number) => `ended:${userId}`;

/** The record of a DRF key that `import-django --tokens` copied (by its digest): a re-run never copies it again. */
export const importedAuthtokenId = (digest: string) => `authtoken:${digest}`;

/**
 * Marks that the account's access ended at `at` (a password change or reset, deactivation, logout
 * everywhere): old-system refresh tokens issued before it are refused from now on, exchanged or not.
 * One row per account, overwritten by the next ending.
 */
export async function endDjangoTokens(db: Db, userId: number, at: number): Promise<void> {
  await db.insertInto('django_token_uses').values({ token_id: cutoffId(userId), user_id: userId, session_id: null, used_at: at, expires_at: null })
    .onConflict((oc) => oc.column('token_id').doUpdateSet({ used_at: at })).execute();
}

/** When the account's access last ended (ms), if it ever did since the cut-over began. */
export async function djangoTokensEndedAt(db: Db, userId: number): Promise<number | undefined> {
  const row = await db.selectFrom('django_token_uses').select('used_at').where('token_id', '=', cutoffId(userId)).executeTakeFirst();
  return row ? Number(row.used_at) : undefined;
}

/** When each of these accounts' access last ended (ms), for those where it did since the cut-over began. */
export async function djangoTokensEndedAtOf(db: Db, userIds: number[]): Promise<Map<number, number>> {
  const ended = new Map<number, number>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.selectFrom('django_token_uses').select(['user_id', 'used_at']).where('token_id', 'in', userIds.slice(i, i + 500).map(cutoffId)).execute();
    for (const r of rows) ended.set(Number(r.user_id), Number(r.used_at));
  }
  return ended;
}
