import { sql, type Insertable } from 'kysely';
import { dialectOf, type Db } from './dialect/index.js';
import type { RefreshTokensTable, SessionsTable } from './schema.js';

/** Sessions and their refresh tokens: the only code that queries those two tables on a request path. */

/** A refresh token with its session and account, as rotation judges it. */
export interface RefreshRow {
  token_hash: string;
  token_expires_at: number;
  rotated_at: number | null;
  session_id: string;
  user_id: number;
  kind: string;
  expires_at: number;
  /** The session's start, its access tokens' auth_time. */
  session_created_at: number;
  /** How the user authenticated when it opened (space-separated RFC 8176 values; null before migration 013). */
  session_amr: string | null;
  last_used_at: number;
  revoked_at: number | null;
  is_active: number;
}

export interface RotationInput {
  tokenHash: string;
  /** The successor's digest for a `uuid` session and for any other kind (the kind is read in the same statement). */
  successorHash: { uuid: string; other: string };
  now: number;
  idleMs: number;
  /** Lifetime of the successor, capped at its session's absolute end. */
  tokenTtlMs: number;
  /** last_used_at is written only when it is at least this old (see touchSlackMs). */
  touchSlackMs: number;
}

export interface RotationResult {
  /** Undefined: no such token. */
  row?: RefreshRow;
  /** This call marked the token rotated (and so issued its successor). */
  rotated: boolean;
  /** The successor row was inserted by this call (false when it already existed). */
  issued: boolean;
}

export type NewSession = Insertable<SessionsTable>;
export type NewRefreshToken = Insertable<RefreshTokensTable>;

/** A session as its owner sees it in a list. */
export interface SessionRow {
  id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  ip: string;
  user_agent: string;
}

/** A refresh token read for a refresh without rotation, with its session and account. */
export interface ReusableRefreshRow extends Omit<RefreshRow, 'token_hash' | 'session_created_at' | 'session_amr'> {
  created_at: number;
  amr: string | null;
}

/** Which sessions to revoke: by ids, by account (optionally all but one), or both. */
export interface SessionSelector {
  sessionIds?: string[];
  userId?: number;
  exceptSessionId?: string;
}

/**
 * The token, its session and account are usable now: not revoked, active account, neither the
 * token nor the session expired, nor the session idle. The same rule is the `live` CTE below.
 */
export function refreshRowUsable(row: RefreshRow, now: number, idleMs: number): boolean {
  return row.revoked_at === null && row.is_active === 1 && row.token_expires_at > now && row.expires_at > now && row.last_used_at + idleMs > now;
}

/**
 * last_used_at moves in steps of up to a minute (a tenth of the idle timeout when that is shorter):
 * a session's idle end comes at most that much early, and a chain rotating many times a minute
 * writes its session row once a minute instead of every time — on PostgreSQL that row update is
 * the one that touches two indexes (sessions_last_used, sessions_user_used) and is never HOT.
 */
export function touchSlackMs(idleMs: number): number {
  return Math.min(60_000, Math.floor(idleMs / 10));
}

/**
 * A new session with its first refresh token. With writable CTEs one statement (the token row is
 * inserted from the session insert's result); otherwise two, in the caller's transaction.
 */
export async function openSession(db: Db, session: NewSession, token: NewRefreshToken): Promise<void> {
  if (dialectOf(db).writableCte) {
    await db
      .with('s', (q) => q.insertInto('sessions').values(session).returning('id'))
      .insertInto('refresh_tokens')
      .columns(['token_hash', 'session_id', 'created_at', 'expires_at', 'rotated_at'])
      .expression((eb) => eb.selectFrom('s').select((_eb) => [sql.val(token.token_hash).as('token_hash'), 's.id', sql.val(token.created_at).as('created_at'), sql.val(token.expires_at).as('expires_at'), sql.lit(null).as('rotated_at')]))
      .execute();
    return;
  }
  await db.insertInto('sessions').values(session).execute();
  await db.insertInto('refresh_tokens').values(token).execute();
}

/**
 * Reads the presented token and, when it is usable and not yet rotated, marks it rotated, inserts
 * its successor (a fixed digest: should two rotations ever meet they converge on one row) and
 * touches the session. What happens otherwise (reuse, a repeat within grace) is the caller's call.
 *
 * With writable CTEs: one statement, one round trip. `for update of rt` serialises presentations
 * of one token; under read committed a waiter re-reads the row once the holder commits, so it sees
 * rotated_at set and rotates nothing. Otherwise (SQLite): the same steps as separate statements in
 * one transaction (SQLite runs one writer at a time; its round trips are function calls).
 */
export async function rotateRefreshToken(db: Db, input: RotationInput): Promise<RotationResult> {
  if (dialectOf(db).writableCte) return rotateInOneStatement(db, input);
  return db.isTransaction ? rotateInSteps(db, input) : db.transaction().execute((trx) => rotateInSteps(trx, input));
}

async function rotateInOneStatement(db: Db, i: RotationInput): Promise<RotationResult> {
  const { rows } = await sql<RefreshRow & { rotated: number; issued: number }>`
    with cur as (
      select rt.token_hash, rt.expires_at as token_expires_at, rt.rotated_at,
             s.id as session_id, s.user_id, s.kind, s.expires_at, s.created_at as session_created_at, s.amr as session_amr, s.last_used_at, s.revoked_at, u.is_active
      from refresh_tokens rt
      join sessions s on s.id = rt.session_id
      join users u on u.id = s.user_id
      where rt.token_hash = ${i.tokenHash}
      for update of rt
    ), live as (
      select * from cur
      where rotated_at is null and revoked_at is null and is_active = 1
        and token_expires_at > ${i.now}::bigint and expires_at > ${i.now}::bigint
        and last_used_at + ${i.idleMs}::bigint > ${i.now}::bigint
    ), rotated as (
      update refresh_tokens rt set rotated_at = ${i.now}::bigint
      from live where rt.token_hash = live.token_hash and rt.rotated_at is null
      returning live.session_id, live.kind, live.expires_at
    ), issued as (
      insert into refresh_tokens (token_hash, session_id, created_at, expires_at, rotated_at)
      select case when kind = 'uuid' then ${i.successorHash.uuid}::text else ${i.successorHash.other}::text end,
             session_id, ${i.now}::bigint, least(${i.now + i.tokenTtlMs}::bigint, expires_at), null
      from rotated
      on conflict (token_hash) do nothing
      returning 1
    ), touched as (
      update sessions s set last_used_at = ${i.now}::bigint
      from rotated where s.id = rotated.session_id and s.last_used_at <= ${i.now - i.touchSlackMs}::bigint
      returning 1
    )
    select cur.*, (select count(*) from rotated) as rotated, (select count(*) from issued) as issued,
           (select count(*) from touched) as touched
    from cur`.execute(db);
  const r = rows[0];
  if (!r) return { rotated: false, issued: false };
  const { rotated, issued, ...row } = r;
  delete (row as { touched?: unknown }).touched;
  return {
    row: { ...row, user_id: Number(row.user_id), is_active: Number(row.is_active), expires_at: Number(row.expires_at), session_created_at: Number(row.session_created_at) },
    rotated: Number(rotated) > 0,
    issued: Number(issued) > 0,
  };
}

async function rotateInSteps(trx: Db, i: RotationInput): Promise<RotationResult> {
  const row = await trx
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'refresh_tokens.token_hash', 'refresh_tokens.expires_at as token_expires_at', 'refresh_tokens.rotated_at',
      'sessions.id as session_id', 'sessions.user_id', 'sessions.kind', 'sessions.expires_at', 'sessions.created_at as session_created_at', 'sessions.amr as session_amr',
      'sessions.last_used_at', 'sessions.revoked_at', 'users.is_active',
    ])
    .where('refresh_tokens.token_hash', '=', i.tokenHash)
    .executeTakeFirst();
  if (!row) return { rotated: false, issued: false };
  const found = { ...row, user_id: Number(row.user_id) };
  if (row.rotated_at !== null || !refreshRowUsable(found, i.now, i.idleMs)) return { row: found, rotated: false, issued: false };
  const res = await trx.updateTable('refresh_tokens').set({ rotated_at: i.now }).where('token_hash', '=', row.token_hash).where('rotated_at', 'is', null).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return { row: found, rotated: false, issued: false };
  const ins = await trx
    .insertInto('refresh_tokens')
    .values({
      token_hash: row.kind === 'uuid' ? i.successorHash.uuid : i.successorHash.other,
      session_id: row.session_id,
      created_at: i.now,
      expires_at: Math.min(i.now + i.tokenTtlMs, row.expires_at),
      rotated_at: null,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .executeTakeFirst();
  await touchSession(trx, row.session_id, i.now, i.touchSlackMs);
  return { row: found, rotated: true, issued: Number(ins.numInsertedOrUpdatedRows ?? 0n) > 0 };
}

/** The successor row of a repeat within grace, only if it belongs to the same session. */
export async function findSuccessor(db: Db, tokenHash: string, sessionId: string): Promise<{ rotated_at: number | null } | undefined> {
  return db.selectFrom('refresh_tokens').select('rotated_at').where('token_hash', '=', tokenHash).where('session_id', '=', sessionId).executeTakeFirst();
}

/** Marks a session used now, unless it was marked within the last `slackMs`. */
export async function touchSession(db: Db, sessionId: string, now: number, slackMs: number): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', sessionId).where('last_used_at', '<=', now - slackMs).execute();
}

/** Marks a session used now, whenever it was last used. */
export async function markSessionUsed(db: Db, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', sessionId).execute();
}

/** A refresh token with this digest was issued and has not expired, whatever its session's state since. */
export async function refreshTokenUnexpired(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('refresh_tokens').select('expires_at').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row !== undefined && Number(row.expires_at) > now;
}

/** The refresh token with this digest, its session and account, for a refresh that does not rotate. */
export async function findRefreshForReuse(db: Db, tokenHash: string): Promise<ReusableRefreshRow | undefined> {
  const row = await db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['refresh_tokens.expires_at as token_expires_at', 'refresh_tokens.rotated_at', 'sessions.id as session_id', 'sessions.user_id', 'sessions.kind', 'sessions.expires_at', 'sessions.last_used_at', 'sessions.revoked_at', 'sessions.created_at', 'sessions.amr', 'users.is_active'])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { ...row, user_id: Number(row.user_id), is_active: Number(row.is_active) };
}

/** The unrevoked session a refresh token with this digest belongs to (whatever the token's own state). */
export async function findLiveSessionByRefresh(db: Db, tokenHash: string): Promise<{ sessionId: string; userId: number } | undefined> {
  const row = await db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .select(['sessions.id as session_id', 'sessions.user_id'])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { sessionId: row.session_id, userId: Number(row.user_id) };
}

/** Marks the selected unrevoked sessions revoked now; returns the ones this call revoked. */
export async function revokeSessions(db: Db, target: SessionSelector, reason: string, now: number): Promise<{ id: string; expiresAt: number }[]> {
  let q = db.updateTable('sessions').set({ revoked_at: now, revoke_reason: reason }).where('revoked_at', 'is', null);
  if (target.sessionIds) q = q.where('id', 'in', target.sessionIds.length ? target.sessionIds : ['']);
  if (target.userId !== undefined) q = q.where('user_id', '=', target.userId);
  if (target.exceptSessionId) q = q.where('id', '!=', target.exceptSessionId);
  const rows = await q.returning(['id', 'expires_at']).execute();
  return rows.map((r) => ({ id: r.id, expiresAt: Number(r.expires_at) }));
}

/** How a live session of the account signed in: when (ms) and with which methods (the amr column); undefined when revoked or not its own (by primary key). */
export async function sessionSignIn(db: Db, sessionId: string, userId: number): Promise<{ createdAt: number; amr: string | null } | undefined> {
  const row = await db.selectFrom('sessions').select(['created_at', 'amr']).where('id', '=', sessionId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return row && { createdAt: Number(row.created_at), amr: row.amr };
}

/** An account's sessions that are neither revoked, expired nor idle since `usedAfter`, most recently used first (at most 200). */
export async function liveSessions(db: Db, userId: number, at: { now: number; usedAfter: number; onlyId?: string }): Promise<SessionRow[]> {
  let q = db.selectFrom('sessions').select(['id', 'created_at', 'last_used_at', 'expires_at', 'ip', 'user_agent']).where('user_id', '=', userId);
  if (at.onlyId !== undefined) q = q.where('id', '=', at.onlyId);
  return q.where('revoked_at', 'is', null).where('expires_at', '>', at.now).where('last_used_at', '>', at.usedAfter).orderBy('last_used_at', 'desc').limit(200).execute();
}

/** Sessions revoked after `revokedAfter` (and at or after `revokedSince`, when given) that have not expired by `now`. */
export async function revokedSessions(db: Db, at: { now: number; revokedAfter: number; revokedSince?: number }): Promise<{ id: string; expiresAt: number; revokedAt: number }[]> {
  let q = db.selectFrom('sessions').select(['id', 'expires_at', 'revoked_at']).where('revoked_at', '>', at.revokedAfter).where('expires_at', '>', at.now);
  if (at.revokedSince !== undefined) q = q.where('revoked_at', '>=', at.revokedSince);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, expiresAt: Number(r.expires_at), revokedAt: Number(r.revoked_at) }));
}
