import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { auditRows, claims } from './support.js';
import { testPassword } from '../support/passwords.js';

const refresh = (app: TestApp, refresh_token: string, remoteAddress?: string) =>
  app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token }, remoteAddress });
const me = (app: TestApp, token: string) => app.request({ method: 'GET', url: '/v1/me', token });

describe.each(backends)('refresh tokens on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('rotates on every use: a new pair for the same session, the old token spent', async () => {
    const first = await app.signUp();
    app.clock.advance(5);
    const res = await refresh(app, first.refresh_token);
    expect(res.statusCode).toBe(200);
    const pair = res.json();
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(pair.refresh_token).not.toBe(first.refresh_token);
    expect(claims(pair.access_token).payload.sid).toBe(claims(first.access_token).payload.sid);
    const spent = await app.core.db.selectFrom('refresh_tokens').select('rotated_at').where('token_hash', '=', tokenDigest(first.refresh_token)).executeTakeFirstOrThrow();
    expect(spent.rotated_at).toBe(app.clock.now());
    expect((await me(app, pair.access_token)).statusCode).toBe(200);
  });

  it('ends the whole session when a rotated token comes back after the grace window, and audits it', async () => {
    const { refresh_token: stolen, access_token: firstAccess, user } = await app.signUp();
    const legit = (await refresh(app, stolen)).json();
    app.clock.advance(11);
    const replay = await refresh(app, stolen, '10.6.6.6');
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('refresh_token_reused');
    // Everything the session issued dies: both access tokens and the legitimate new refresh token.
    expect((await me(app, legit.access_token)).statusCode).toBe(401);
    expect((await me(app, firstAccess)).statusCode).toBe(401);
    expect((await refresh(app, legit.refresh_token)).statusCode).toBe(401);
    const audit = (await auditRows(app, 'refresh.reuse_detected', user.id)).at(-1)!;
    expect(audit).toMatchObject({ ip: '10.6.6.6', detail: { session: claims(firstAccess).payload.sid } });
    const session = await app.core.db.selectFrom('sessions').select(['revoked_at', 'revoke_reason']).where('id', '=', claims(firstAccess).payload.sid as string).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ revoked_at: app.clock.now(), revoke_reason: 'refresh_token_reused' });
  });

  it('lets two concurrent refreshes of one token within the grace window both succeed, with one successor, without logging out', async () => {
    const { refresh_token } = await app.signUp();
    const [a, b] = await Promise.all([refresh(app, refresh_token), refresh(app, refresh_token)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    app.clock.advance(9);
    const late = await refresh(app, refresh_token);
    expect(late.statusCode, 'a slow third request in the window is also fine').toBe(200);
    const successor = a.json().refresh_token;
    expect([b.json().refresh_token, late.json().refresh_token], 'the session does not fork').toEqual([successor, successor]);
    for (const r of [a, b, late]) {
      expect((await me(app, r.json().access_token)).statusCode).toBe(200);
    }
    // Both clients now hold the one successor; each may present it within its own grace window.
    const next = await refresh(app, successor);
    expect(next.statusCode).toBe(200);
    expect((await refresh(app, successor)).json().refresh_token).toBe(next.json().refresh_token);
  });

  it('refuses unknown, empty and oversized refresh tokens with a clear 4xx', async () => {
    expect((await refresh(app, 'never-issued')).json().code).toBe('refresh_token_invalid');
    expect((await refresh(app, '')).statusCode).toBe(401);
    expect((await refresh(app, 'x'.repeat(600))).statusCode).toBe(400);
    const { access_token } = await app.signUp();
    expect((await refresh(app, access_token)).statusCode, 'an access token is not a refresh token').toBe(401);
  });
});

describe.each(backends)('refresh grace window from GATEHOUSE_REFRESH_GRACE on %s', (backend) => {
  it('treats any second use as theft when the grace is 0', async () => {
    const app = await testApp(backend, { GATEHOUSE_REFRESH_GRACE: '0' });
    try {
      const { refresh_token } = await app.signUp();
      expect((await refresh(app, refresh_token)).statusCode).toBe(200);
      app.clock.advance(0.001);
      expect((await refresh(app, refresh_token)).json().code).toBe('refresh_token_reused');
    } finally {
      await app.close();
    }
  });

  it('lets at most one of several concurrent refreshes succeed when the grace is 0, even in the same millisecond', async () => {
    const app = await testApp(backend, { GATEHOUSE_REFRESH_GRACE: '0' });
    try {
      const { refresh_token } = await app.signUp();
      const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(app, refresh_token)));
      const ok = answers.filter((r) => r.statusCode === 200);
      expect(ok.length).toBeLessThanOrEqual(1);
      expect(answers.every((r) => r.statusCode === 200 || r.statusCode === 401)).toBe(true);
      // A detected reuse ends the session: no token issued from it still refreshes.
      for (const r of ok) expect((await refresh(app, r.json().refresh_token)).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe.each(backends)('session lifetimes on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_SESSION_IDLE: '1h', GATEHOUSE_SESSION_MAX: '3h' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ends a session left idle longer than the idle timeout', async () => {
    const { refresh_token } = await app.signUp();
    app.clock.advance(3600 + 1);
    expect((await refresh(app, refresh_token)).statusCode).toBe(401);
  });

  it('keeps a session used within the idle timeout alive, but never past its absolute lifetime', async () => {
    let { refresh_token } = await app.signUp();
    let refreshed = 0;
    for (let elapsed = 0; elapsed < 3 * 3600 - 50 * 60; elapsed += 50 * 60) {
      app.clock.advance(50 * 60);
      const res = await refresh(app, refresh_token);
      expect(res.statusCode, `after ${elapsed / 60 + 50} minutes`).toBe(200);
      refresh_token = res.json().refresh_token;
      refreshed++;
    }
    expect(refreshed).toBe(3);
    const row = await app.core.db.selectFrom('refresh_tokens').innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select(['refresh_tokens.expires_at as token_expires', 'sessions.expires_at as session_expires'])
      .where('token_hash', '=', tokenDigest(refresh_token)).executeTakeFirstOrThrow();
    expect(row.token_expires, 'rotation never extends past the absolute lifetime').toBe(row.session_expires);
    app.clock.advance(30 * 60 - 120); // 2 minutes before the 3-hour mark
    const last = await refresh(app, refresh_token);
    expect(last.statusCode).toBe(200);
    expect(last.json().expires_in, 'nor does the access token it issues').toBe(120);
    expect(claims(last.json().access_token).payload.exp! * 1000).toBeLessThanOrEqual(row.session_expires);
    refresh_token = last.json().refresh_token;
    app.clock.advance(120);
    expect((await refresh(app, refresh_token)).statusCode, 'past 3 h the session is over').toBe(401);
    expect((await me(app, last.json().access_token)).statusCode, 'and its last access token with it').toBe(401);
  });

  it('lists only live sessions', async () => {
    const a = await app.signUp();
    app.clock.advance(3600 + 1);
    const b = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: a.user.username, password: testPassword } });
    const list = await app.request({ method: 'GET', url: '/v1/me/sessions', token: b.json().access_token });
    expect(list.json()).toHaveLength(1);
  });
});
