import { randomUUID } from 'node:crypto';
import type { RequestMeta } from './audit.js';
import { recordAudit } from './audit.js';
import type { Db } from './context.js';
import { AuthError } from './errors.js';
import { emitCoreEvent } from './observers.js';
import { afterCommit, inTransaction } from './transaction.js';
import * as store from '../store/sessions-repo.js';
import { randomToken, secretHmac, tokenDigest } from './secrets.js';
import type { Core } from './core.js';
import type { ClaimsFor, ExtraClaims, IssuedAccess } from './access-tokens.js';

/** What the session use cases need; each takes only the part it uses (a whole Core satisfies all). */
export type SessionsCtx = Pick<Core, 'db' | 'log' | 'clock' | 'config' | 'settings' | 'revocations' | 'accessTokens' | 'secretKey'>;
/** Opening a session: lifetimes only (the caller's transaction is the handle). */
export type OpenSessionCtx = Pick<SessionsCtx, 'clock' | 'config' | 'settings'>;
/** Signing a session's access token. */
export type TokenPairCtx = Pick<SessionsCtx, 'clock' | 'settings' | 'accessTokens'>;
/** Revoking sessions and telling every instance once committed. */
export type RevokeCtx = Pick<SessionsCtx, 'db' | 'log' | 'clock' | 'revocations'>;
/** Reading an account's live sessions. */
export type ListSessionsCtx = Pick<SessionsCtx, 'db' | 'clock' | 'config'>;

/**
 * How a session's refresh tokens look on the wire; a compat profile may want UUIDs.
 * `reusable`: opaque and not rotated on use (SimpleJWT without ROTATE_REFRESH_TOKENS), see refreshWithoutRotation.
 */
export type RefreshFormat = 'opaque' | 'uuid' | 'reusable';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  session_id: string;
}

/** A session as its owner sees it in a list (the store's row as it is). */
export type SessionView = store.SessionRow;

function newRefreshToken(format: RefreshFormat): string {
  return format === 'uuid' ? randomUUID() : randomToken(32);
}

/**
 * The token that follows `presented` in its session: an HMAC under the server secret, so every
 * presentation of one token (parallel, or retried within grace) meets the same successor and a
 * session never forks, while no one without the secret can compute it. Shaped like `format`.
 */
export function successorToken(secret: string, presented: string, format: RefreshFormat): string {
  return shapeSuccessor(successorMac(secret, presented), format);
}

function successorMac(secret: string, presented: string): Buffer {
  return secretHmac(secret, 'refresh-successor', `refresh-successor:${presented}`);
}

function shapeSuccessor(mac: Buffer, format: RefreshFormat): string {
  if (format !== 'uuid') return mac.toString('base64url');
  const b = Buffer.from(mac.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** When a session began (the user authenticated: its tokens' auth_time) and when it ends at the latest, in ms. */
export interface SessionTimes {
  createdAt: number;
  expiresAt: number;
  /** How the user authenticated when the session opened (RFC 8176), carried by every access token of it. */
  amr?: readonly string[];
}

/** The sessions.amr column's form of an amr list (space-separated), and back. */
export const amrColumn = (amr: readonly string[] | undefined): string | null => (amr?.length ? amr.join(' ') : null);
export const amrOf = (column: string | null | undefined): readonly string[] | undefined => (column ? column.split(' ') : undefined);

/** Opens a session and its first refresh token inside the caller's transaction (one statement where the dialect allows). */
export async function openSession(
  core: OpenSessionCtx,
  db: Db,
  userId: number,
  meta: RequestMeta,
  format: RefreshFormat = 'opaque',
  amr?: readonly string[],
): Promise<{ sessionId: string; refreshToken: string } & SessionTimes> {
  const now = core.clock.now();
  const sessionId = randomToken(16);
  const expiresAt = now + core.config.sessionMaxSeconds * 1000;
  const refreshToken = newRefreshToken(format);
  await store.openSession(
    db,
    { id: sessionId, user_id: userId, kind: format, created_at: now, last_used_at: now, expires_at: expiresAt, ip: meta.ip.slice(0, 64), user_agent: meta.userAgent.slice(0, 512), revoked_at: null, revoke_reason: null, amr: amrColumn(amr) },
    { token_hash: tokenDigest(refreshToken), session_id: sessionId, created_at: now, expires_at: Math.min(now + core.settings.get('refresh_token_ttl') * 1000, expiresAt), rotated_at: null },
  );
  emitCoreEvent({ type: 'token_issued', kind: 'refresh' });
  return { sessionId, refreshToken, createdAt: now, expiresAt, ...(amr?.length ? { amr } : {}) };
}

/**
 * Signs an access token for a session and bundles the pair. The access token expires no later
 * than its session does (its absolute lifetime is absolute) and carries the session's start as auth_time.
 */
export async function tokenPair(core: TokenPairCtx, userId: number, sessionId: string, refreshToken: string, session: SessionTimes, extra: ExtraClaims = {}): Promise<TokenPair> {
  const ttl = core.settings.get('access_token_ttl');
  const left = Math.floor((session.expiresAt - core.clock.now()) / 1000);
  const access = await core.accessTokens.sign({ userId, sessionId, authTime: session.createdAt, ...(session.amr ? { amr: session.amr } : {}) }, Math.max(1, Math.min(ttl, left)), extra);
  return { access_token: access.token, refresh_token: refreshToken, token_type: 'Bearer', expires_in: access.expiresIn, session_id: sessionId };
}

/**
 * Rotates a refresh token: the presented one dies, its successor is returned. Presented again
 * within the grace window, it gets the same successor (and a new access token) while that
 * successor is still the live end of the chain; after the window, or once the chain has moved
 * on past the successor, it means theft: the whole session ends. The usual case, a first
 * presentation, is one statement where the dialect has writable CTEs (store/sessions-repo.ts).
 */
export async function rotateRefreshToken(core: SessionsCtx, presented: string, meta: RequestMeta, options: { claims?: ClaimsFor } = {}): Promise<{ userId: number; pair: TokenPair }> {
  if (presented.length === 0 || presented.length > 512) throw new AuthError('refresh_token_invalid');
  const outcome = await rotation(core, presented);
  if (outcome.kind === 'invalid') throw new AuthError('refresh_token_invalid');
  if (outcome.kind === 'reused') {
    await inTransaction(core, async (trx) => {
      await revokeSessions(core, { sessionIds: [outcome.sessionId] }, 'refresh_token_reused', trx);
      await recordAudit(trx, { kind: 'refresh.reuse_detected', at: outcome.now, userId: outcome.userId, ip: meta.ip, userAgent: meta.userAgent, detail: { session: outcome.sessionId } });
    });
    throw new AuthError('refresh_token_reused');
  }
  const times = { createdAt: outcome.sessionCreatedAt, expiresAt: outcome.sessionExpiresAt, amr: outcome.amr };
  const extra = options.claims ? await options.claims(outcome.userId) : {};
  return { userId: outcome.userId, pair: await tokenPair(core, outcome.userId, outcome.sessionId, outcome.refreshToken, times, extra) };
}

type Rotation =
  | { kind: 'invalid' }
  | { kind: 'reused'; sessionId: string; userId: number; now: number }
  | { kind: 'rotated'; sessionId: string; userId: number; refreshToken: string; sessionExpiresAt: number; sessionCreatedAt: number; amr?: readonly string[] };

async function rotation(core: SessionsCtx, presented: string): Promise<Rotation> {
  const now = core.clock.now();
  const idleMs = core.config.sessionIdleSeconds * 1000;
  const slackMs = store.touchSlackMs(idleMs);
  const mac = successorMac(core.secretKey, presented);
  const successor = { uuid: shapeSuccessor(mac, 'uuid'), other: shapeSuccessor(mac, 'opaque') };
  const { row, rotated, issued } = await store.rotateRefreshToken(core.db, {
    tokenHash: tokenDigest(presented),
    successorHash: { uuid: tokenDigest(successor.uuid), other: tokenDigest(successor.other) },
    now,
    idleMs,
    tokenTtlMs: core.settings.get('refresh_token_ttl') * 1000,
    touchSlackMs: slackMs,
  });
  if (!row || !store.refreshRowUsable(row, now, idleMs)) return { kind: 'invalid' };
  const refreshToken = row.kind === 'uuid' ? successor.uuid : successor.other;
  const done = { kind: 'rotated' as const, sessionId: row.session_id, userId: row.user_id, refreshToken, sessionExpiresAt: row.expires_at, sessionCreatedAt: Number(row.session_created_at), amr: amrOf(row.session_amr) };
  if (rotated) {
    if (issued) emitCoreEvent({ type: 'token_issued', kind: 'refresh' });
    return done;
  }
  const graceMs = core.config.refreshGraceSeconds * 1000;
  const reused = { kind: 'reused' as const, sessionId: row.session_id, userId: row.user_id, now };
  // With no grace window, any second presentation is reuse, even in the same millisecond (and a
  // presentation that lost the race to rotate is a second one).
  if (graceMs === 0 || (row.rotated_at !== null && now - row.rotated_at > graceMs)) return reused;
  // A repeat within grace never inserts: it may only hand back a successor that is still live.
  const next = await store.findSuccessor(core.db, tokenDigest(refreshToken), row.session_id);
  if (!next) return { kind: 'invalid' };
  if (next.rotated_at !== null) return reused;
  await store.touchSession(core.db, row.session_id, now, slackMs);
  return done;
}

export interface RevokeTarget {
  sessionIds?: string[];
  userId?: number;
  /** With userId: keep this one session alive (password change from a session). */
  exceptSessionId?: string;
}

/**
 * Ends sessions: marks them revoked in the database (in `db`, the caller's transaction when given,
 * opened by inTransaction) and, once committed, tells every instance. Returns the revoked ids.
 */
export async function revokeSessions(core: RevokeCtx, target: RevokeTarget, reason: string, db: Db = core.db): Promise<{ id: string; expiresAt: number }[]> {
  const sessions = await store.revokeSessions(db, target, reason, core.clock.now());
  if (sessions.length) await afterCommit(core, db, () => core.revocations.publish({ sessions }));
  return sessions;
}

/** A user's live sessions, most recently used first; `onlyId` narrows to one. */
export async function listSessions(core: ListSessionsCtx, userId: number, onlyId?: string): Promise<SessionView[]> {
  const now = core.clock.now();
  return store.liveSessions(core.db, userId, { now, usedAfter: now - core.config.sessionIdleSeconds * 1000, onlyId });
}

/**
 * A new access token for a `reusable` session's refresh token, which stays as it is: it
 * keeps working until it expires or its session is revoked, like SimpleJWT's refresh token
 * without rotation. Reuse detection does not apply; tokens of rotating sessions are refused,
 * so this path can never be used to dodge it.
 */
export async function refreshWithoutRotation(core: SessionsCtx, presented: string): Promise<{ userId: number; sessionId: string; access: IssuedAccess }> {
  if (presented.length === 0 || presented.length > 512) throw new AuthError('refresh_token_invalid');
  const now = core.clock.now();
  const row = await store.findRefreshForReuse(core.db, tokenDigest(presented));
  const idleLimit = row ? row.last_used_at + core.config.sessionIdleSeconds * 1000 : 0;
  if (!row || row.kind !== 'reusable' || row.rotated_at !== null || row.revoked_at !== null || row.is_active !== 1) throw new AuthError('refresh_token_invalid');
  if (row.token_expires_at <= now || row.expires_at <= now || idleLimit <= now) throw new AuthError('refresh_token_invalid');
  await store.markSessionUsed(core.db, row.session_id, now);
  const userId = row.user_id;
  const pair = await tokenPair(core, userId, row.session_id, presented, { createdAt: row.created_at, expiresAt: row.expires_at, amr: amrOf(row.amr) });
  return { userId, sessionId: row.session_id, access: { token: pair.access_token, expiresIn: pair.expires_in } };
}

/**
 * Ends the session a refresh token belongs to (logout by refresh token, no access token
 * needed). Answers the same whether or not the token named a live session.
 */
export async function revokeByRefreshToken(core: RevokeCtx, presented: string, meta: RequestMeta): Promise<void> {
  if (presented.length === 0 || presented.length > 512) return;
  const row = await store.findLiveSessionByRefresh(core.db, tokenDigest(presented));
  if (!row) return;
  const ended = await revokeSessions(core, { sessionIds: [row.sessionId] }, 'logout');
  if (ended.length) await recordAudit(core.db, { kind: 'logout', at: core.clock.now(), userId: row.userId, ip: meta.ip, userAgent: meta.userAgent, detail: { session: row.sessionId, by: 'refresh_token' } });
}
