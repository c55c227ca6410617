import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../src/core/authenticate.js';
import { inTransaction } from '../../src/core/transaction.js';
import { endAccess } from '../../src/core/end-access.js';
import { Revocations } from '../../src/core/revocations.js';
import { updateUser } from '../../src/store/users-repo.js';
import { issueDeviceToken } from '../../src/store/device-tokens-repo.js';
import { findConsoleSession, openConsoleSession } from '../../src/store/console-sessions-repo.js';
import { deviceTokenForLogin, trustedDevice } from '../../src/core/device-tokens.js';
import {
  listSessions,
  openSession,
  refreshWithoutRotation,
  revokeByRefreshToken,
  revokeSessions,
  rotateRefreshToken,
  tokenPair,
  type RefreshFormat,
} from '../../src/core/sessions.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account, meta } from './support.js';

/** Sessions, refresh rotation and revocation as use cases: no HTTP, a manual clock, both backends. */
describe.each(backends)('sessions (core) on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend, { GATEHOUSE_SESSION_MAX: '2d', GATEHOUSE_REFRESH_TTL: '1d', GATEHOUSE_SESSION_IDLE: '12h' });
  });
  afterAll(() => t.close());

  async function signedIn(format: RefreshFormat = 'opaque') {
    const user = await account(t);
    const opened = await inTransaction(t.core, (trx) => openSession(t.core, trx, user.id, meta, format));
    const pair = await tokenPair(t.core, user.id, opened.sessionId, opened.refreshToken, opened);
    return { user, ...opened, pair };
  }

  it('opens a session whose access token names it and which its owner sees', async () => {
    const s = await signedIn();
    const principal = await authenticateBearer(t.core, s.pair.access_token);
    expect(principal).toMatchObject({ sessionId: s.sessionId, scheme: 'Bearer' });
    expect(principal.user.id).toBe(s.user.id);
    const listed = await listSessions(t.core, s.user.id);
    expect(listed.map((v) => v.id)).toEqual([s.sessionId]);
    expect(listed[0]).toMatchObject({ ip: meta.ip, user_agent: meta.userAgent, created_at: t.clock.now(), expires_at: t.clock.now() + 2 * 86_400_000 });
  });

  it('rotates a refresh token: the successor works, a repeat within grace gets the same successor', async () => {
    const s = await signedIn();
    const first = await rotateRefreshToken(t.core, s.refreshToken, meta);
    expect(first.userId).toBe(s.user.id);
    expect(first.pair.refresh_token).not.toBe(s.refreshToken);
    expect(first.pair.session_id).toBe(s.sessionId);
    t.clock.advance(1);
    const repeat = await rotateRefreshToken(t.core, s.refreshToken, meta);
    expect(repeat.pair.refresh_token).toBe(first.pair.refresh_token);
    const second = await rotateRefreshToken(t.core, first.pair.refresh_token, meta);
    expect(second.pair.refresh_token).not.toBe(first.pair.refresh_token);
    expect((await authenticateBearer(t.core, second.pair.access_token)).sessionId).toBe(s.sessionId);
  });

  it('a rotated token presented after the grace window revokes the whole session', async () => {
    const s = await signedIn();
    const next = await rotateRefreshToken(t.core, s.refreshToken, meta);
    t.clock.advance(t.core.config.refreshGraceSeconds + 1);
    await expect(rotateRefreshToken(t.core, s.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    // The thief's and the owner's ends of the chain are both dead, and so is the access token.
    await expect(rotateRefreshToken(t.core, next.pair.refresh_token, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(t.core.revocations.isRevoked(s.sessionId)).toBe(true);
    await expect(authenticateBearer(t.core, next.pair.access_token)).rejects.toMatchObject({ code: 'session_revoked' });
    expect(await listSessions(t.core, s.user.id)).toEqual([]);
  });

  it('a repeat within grace after the chain moved on is reuse too', async () => {
    const s = await signedIn();
    const next = await rotateRefreshToken(t.core, s.refreshToken, meta);
    await rotateRefreshToken(t.core, next.pair.refresh_token, meta);
    await expect(rotateRefreshToken(t.core, s.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(t.core.revocations.isRevoked(s.sessionId)).toBe(true);
  });

  it('refuses a refresh token past its lifetime, a session idle too long, and one past its absolute end', async () => {
    const expired = await signedIn();
    t.clock.advance(86_400 + 1);
    await expect(rotateRefreshToken(t.core, expired.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });

    const idle = await signedIn();
    t.clock.advance(12 * 3600 + 1);
    await expect(rotateRefreshToken(t.core, idle.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(await listSessions(t.core, idle.user.id)).toEqual([]);

    // Used every 11 hours the session never idles out, yet ends two days after it began.
    const kept = await signedIn();
    let refresh = kept.refreshToken;
    for (let i = 0; i < 4; i++) {
      t.clock.advance(11 * 3600);
      const r = await rotateRefreshToken(t.core, refresh, meta);
      expect(r.pair.expires_in).toBeLessThanOrEqual(Math.floor((kept.expiresAt - t.clock.now()) / 1000));
      refresh = r.pair.refresh_token;
    }
    t.clock.advance(4 * 3600 + 1);
    expect(t.clock.now()).toBeGreaterThan(kept.expiresAt);
    await expect(rotateRefreshToken(t.core, refresh, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('refuses a refresh token whose account was disabled', async () => {
    const s = await signedIn();
    await updateUser(t.core.db, s.user.id, { is_active: 0 });
    await expect(rotateRefreshToken(t.core, s.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('revokeSessions ends all of an account\'s sessions but the kept one, and tells the revoked set', async () => {
    const a = await signedIn();
    const b = await inTransaction(t.core, (trx) => openSession(t.core, trx, a.user.id, meta));
    const c = await inTransaction(t.core, (trx) => openSession(t.core, trx, a.user.id, meta));
    const ended = await inTransaction(t.core, (trx) => revokeSessions(t.core, { userId: a.user.id, exceptSessionId: b.sessionId }, 'password_changed', trx));
    expect(ended.map((e) => e.id).sort()).toEqual([a.sessionId, c.sessionId].sort());
    expect((await listSessions(t.core, a.user.id)).map((v) => v.id)).toEqual([b.sessionId]);
    expect(t.core.revocations.isRevoked(a.sessionId)).toBe(true);
    expect(t.core.revocations.isRevoked(b.sessionId)).toBe(false);
    // Revoking again revokes nothing new.
    expect(await revokeSessions(t.core, { sessionIds: [a.sessionId] }, 'logout')).toEqual([]);
    await expect(rotateRefreshToken(t.core, c.refreshToken, meta)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('revokeSessions publishes nothing when its transaction rolls back', async () => {
    const s = await signedIn();
    await expect(
      inTransaction(t.core, async (trx) => {
        await revokeSessions(t.core, { sessionIds: [s.sessionId] }, 'logout', trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(t.core.revocations.isRevoked(s.sessionId)).toBe(false);
    expect((await listSessions(t.core, s.user.id)).map((v) => v.id)).toEqual([s.sessionId]);
  });

  it('logout by refresh token ends its session, and says nothing for an unknown token', async () => {
    const s = await signedIn();
    await revokeByRefreshToken(t.core, 'no-such-token', meta);
    await revokeByRefreshToken(t.core, s.refreshToken, meta);
    expect(t.core.revocations.isRevoked(s.sessionId)).toBe(true);
    expect(await listSessions(t.core, s.user.id)).toEqual([]);
  });

  it('refreshes a reusable session without rotating, and never a rotating one', async () => {
    const reusable = await signedIn('reusable');
    t.clock.advance(60);
    const again = await refreshWithoutRotation(t.core, reusable.refreshToken);
    expect(again.sessionId).toBe(reusable.sessionId);
    expect(await refreshWithoutRotation(t.core, reusable.refreshToken)).toMatchObject({ userId: reusable.user.id });
    expect((await listSessions(t.core, reusable.user.id))[0]!.last_used_at).toBe(t.clock.now());
    const rotating = await signedIn('opaque');
    await expect(refreshWithoutRotation(t.core, rotating.refreshToken)).rejects.toMatchObject({ code: 'refresh_token_invalid' });
  });

  it('endAccess revokes sessions and deletes device tokens and console sessions, after commit', async () => {
    const s = await signedIn();
    const kept = await inTransaction(t.core, (trx) => openSession(t.core, trx, s.user.id, meta));
    const now = t.clock.now();
    const device = await inTransaction(t.core, (trx) => deviceTokenForLogin(t.core, trx, s.user.id, undefined, now));
    await issueDeviceToken(t.core.db, { id: `d-${s.user.id}`, token_hash: `h-${s.user.id}`, user_id: s.user.id, failures: 0, created_at: now, last_used_at: now, expires_at: now + 86_400_000 }, 20);
    await openConsoleSession(t.core.db, { id_hash: `cs-${s.user.id}`, user_id: s.user.id, csrf_token: 'x', created_at: now, last_used_at: now, expires_at: now + 3_600_000, ip: '', user_agent: '' });
    expect(await trustedDevice(t.core, device, s.user.id, now)).toBeDefined();
    const ended = await inTransaction(t.core, async (trx) => {
      const e = await endAccess(t.core, trx, s.user.id, 'password_changed', { exceptSessionId: kept.sessionId });
      // Nothing is announced before the commit.
      expect(t.core.revocations.isRevoked(s.sessionId)).toBe(false);
      return e;
    });
    expect(ended.sessions.map((x) => x.id)).toEqual([s.sessionId]);
    expect(ended.consoleSessions).toBe(1);
    expect(t.core.revocations.isRevoked(s.sessionId)).toBe(true);
    expect(t.core.revocations.isRevoked(kept.sessionId)).toBe(false);
    expect(await trustedDevice(t.core, device, s.user.id, t.clock.now())).toBeUndefined();
    expect(await findConsoleSession(t.core.db, `cs-${s.user.id}`)).toBeUndefined();
    expect((await listSessions(t.core, s.user.id)).map((v) => v.id)).toEqual([kept.sessionId]);
  });

  it('the revoked set rebuilt from the database knows what was revoked', async () => {
    const s = await signedIn();
    await revokeSessions(t.core, { sessionIds: [s.sessionId] }, 'logout');
    const fresh = new Revocations(t.core);
    await fresh.rebuild();
    expect(fresh.isRevoked(s.sessionId)).toBe(true);
    t.clock.advance(10);
    const since = t.clock.now();
    const later = await signedIn();
    await revokeSessions(t.core, { sessionIds: [later.sessionId] }, 'logout');
    const incremental = new Revocations(t.core);
    await incremental.rebuild(since);
    expect(incremental.isRevoked(later.sessionId)).toBe(true);
    expect(incremental.isRevoked(s.sessionId)).toBe(false);
  });
});
