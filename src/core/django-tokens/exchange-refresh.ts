import type { ClaimsFor } from '../access-tokens.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, credentialError } from '../errors.js';
import { openSession, tokenPair, type SessionsCtx, type TokenPair } from '../sessions.js';
import { inTransaction } from '../transaction.js';
import { claimDjangoToken, djangoTokensEndedAt, findDjangoTokenSession, type DjangoTokenSession } from '../../store/django-tokens-repo.js';
import { markSessionUsed } from '../../store/sessions-repo.js';
import { verifyDjangoJwt } from './verify-jwt.js';

export type ExchangeCtx = SessionsCtx & Pick<Core, 'users'>;

/**
 * How the profile's seed treated its refresh token: `rotating` (ROTATE_REFRESH_TOKENS with
 * BLACKLIST_AFTER_ROTATION: one use, then "blacklisted") or `reusable` (no rotation: the client
 * keeps presenting the same token until it expires).
 */
export type DjangoRefreshMode = 'rotating' | 'reusable';

/** Thrown inside the exchange's transaction to roll back the session of a presentation that lost. */
class AlreadyUsed extends Error {}

/**
 * Exchanges a refresh JWT of the old Django system (verified with GATEHOUSE_DJANGO_SIGNING_KEY) for
 * a Gatehouse session. The token's `jti` is recorded as used in the transaction that opens the
 * session, so of any number of presentations exactly one opens a session. After that:
 * - `rotating`: the token is used up; presenting it again is refused as a reused token (SimpleJWT's
 *   "Token is blacklisted"), as is a token Django had blacklisted (imported with --tokens);
 * - `reusable`: the token stands for that one session; each presentation gets a new access token
 *   from it while the session lives (it ends with logout, a password change or reset, deactivation).
 */
export async function exchangeDjangoRefresh(core: ExchangeCtx, token: string, meta: RequestMeta, mode: DjangoRefreshMode, options: { claims?: ClaimsFor } = {}): Promise<{ userId: number; pair: TokenPair }> {
  const key = core.config.djangoSigningKey;
  if (!key) throw new AuthError('refresh_token_invalid');
  const now = core.clock.now();
  const claims = await verifyDjangoJwt(key, token, 'refresh', now, 'refresh_token_invalid');
  const user = await core.users.get(claims.userId);
  // Deactivation ends access (a deliberate difference from SimpleJWT 5.3.1, as for Gatehouse's own tokens).
  if (!user) throw credentialError('refresh_token_invalid', 'user_not_found');
  if (!user.is_active) throw credentialError('refresh_token_invalid', 'user_inactive');
  // Issued before the account's access last ended here (a reset, say): it ended with it.
  const ended = await djangoTokensEndedAt(core.db, user.id);
  if (ended !== undefined && claims.iat * 1000 < ended) throw credentialError('refresh_token_invalid', 'expired');
  const extra = options.claims ? await options.claims(user.id) : {};
  // A reusable token's later presentations (the usual case) skip the write.
  if (mode === 'reusable') {
    const used = await findDjangoTokenSession(core.db, claims.jti);
    if (used) return continueSession(core, used.session, now, extra);
  }
  const opened = await inTransaction(core, async (trx) => {
    const session = await openSession(core, trx, user.id, meta, mode === 'rotating' ? 'opaque' : 'reusable');
    const won = await claimDjangoToken(trx, { token_id: claims.jti, user_id: user.id, session_id: session.sessionId, used_at: now, expires_at: claims.exp * 1000 });
    if (!won) throw new AlreadyUsed();
    await recordAudit(trx, { kind: 'login.succeeded', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { by: 'django_refresh_token', session: session.sessionId } });
    return session;
  }).catch((err: unknown) => {
    if (err instanceof AlreadyUsed) return undefined;
    throw err;
  });
  if (opened) return { userId: user.id, pair: await tokenPair(core, user.id, opened.sessionId, opened.refreshToken, opened, extra) };
  if (mode === 'rotating') throw new AuthError('refresh_token_reused');
  return continueSession(core, (await findDjangoTokenSession(core.db, claims.jti))?.session, now, extra);
}

/** A `reusable` old token presented again: a new access token from the session it was exchanged for, while that session lives. */
async function continueSession(core: ExchangeCtx, s: DjangoTokenSession | undefined, now: number, extra: Record<string, unknown>): Promise<{ userId: number; pair: TokenPair }> {
  const idleMs = core.config.sessionIdleSeconds * 1000;
  if (!s || s.revokedAt !== null || s.isActive !== 1 || s.expiresAt <= now || s.lastUsedAt + idleMs <= now) throw credentialError('refresh_token_invalid', 'malformed');
  await markSessionUsed(core.db, s.sessionId, now);
  return { userId: s.userId, pair: await tokenPair(core, s.userId, s.sessionId, '', { createdAt: s.createdAt, expiresAt: s.expiresAt }, extra) };
}
