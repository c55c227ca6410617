import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { createApp } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { auditRows, claims, logIn, password } from './support.js';

const me = (app: TestApp, token: string) => app.request({ method: 'GET', url: '/v1/me', token });

describe.each(backends)('sessions on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists your sessions with the current one marked, and shows one by id', async () => {
    const first = await app.signUp();
    const second = await logIn(app, first.user.username, password, '10.2.0.1');
    const list = await app.request({ method: 'GET', url: '/v1/me/sessions', token: second.access_token, headers: { 'user-agent': 'Phone/2' } });
    expect(list.statusCode).toBe(200);
    const sessions = list.json();
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ id: claims(second.access_token).payload.sid, ip: '10.2.0.1' });
    expect(Object.keys(current).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip', 'last_used_at', 'user_agent']);
    const one = await app.request({ method: 'GET', url: `/v1/me/sessions/${current.id}`, token: second.access_token });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(current);
    const notMine = await app.request({ method: 'GET', url: `/v1/me/sessions/${current.id}`, token: (await app.signUp()).access_token });
    expect(notMine.statusCode).toBe(404);
  });

  it('signs one device out by id (its access token dies at once) and audits it', async () => {
    const a = await app.signUp();
    const b = await logIn(app, a.user.username);
    const sid = claims(b.access_token).payload.sid as string;
    const res = await app.request({ method: 'DELETE', url: `/v1/me/sessions/${sid}`, token: a.access_token });
    expect(res.statusCode).toBe(204);
    expect((await me(app, b.access_token)).statusCode).toBe(401);
    expect((await me(app, a.access_token)).statusCode).toBe(200);
    expect((await app.request({ method: 'DELETE', url: `/v1/me/sessions/${sid}`, token: a.access_token })).statusCode, 'already gone').toBe(404);
    expect((await auditRows(app, 'session.revoked', a.user.id)).at(-1)!.detail).toEqual({ session: sid });
  });

  it("cannot end another user's session", async () => {
    const victim = await app.signUp();
    const attacker = await app.signUp();
    const sid = claims(victim.access_token).payload.sid as string;
    expect((await app.request({ method: 'DELETE', url: `/v1/me/sessions/${sid}`, token: attacker.access_token })).statusCode).toBe(404);
    expect((await me(app, victim.access_token)).statusCode).toBe(200);
  });

  it('DELETE /v1/me/sessions ends every other session and keeps this one', async () => {
    const a = await app.signUp();
    const b = await logIn(app, a.user.username);
    const c = await logIn(app, a.user.username);
    const res = await app.request({ method: 'DELETE', url: '/v1/me/sessions', token: c.access_token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sessions_revoked: 2 });
    expect((await me(app, a.access_token)).statusCode).toBe(401);
    expect((await me(app, b.access_token)).statusCode).toBe(401);
    expect((await me(app, c.access_token)).statusCode).toBe(200);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: b.refresh_token } })).statusCode).toBe(401);
  });

  it('logout and logout-all are audited with IP and user agent', async () => {
    const a = await app.signUp();
    const headers = { 'user-agent': 'Laptop/9' };
    await app.request({ method: 'POST', url: '/v1/auth/logout', token: a.access_token, headers, remoteAddress: '10.3.3.3' });
    expect((await auditRows(app, 'logout', a.user.id)).at(-1)).toMatchObject({ ip: '10.3.3.3', user_agent: 'Laptop/9', at: app.clock.now() });
    const b = await logIn(app, a.user.username);
    await app.request({ method: 'POST', url: '/v1/auth/logout-all', token: b.access_token, headers });
    expect((await auditRows(app, 'logout.all', a.user.id)).at(-1)).toMatchObject({ user_agent: 'Laptop/9', detail: { sessions: 1 } });
  });

  it('revocation is checked without a database round-trip per request', async () => {
    const a = await app.signUp();
    expect((await me(app, a.access_token)).statusCode).toBe(200);
    app.queries.reset();
    for (let i = 0; i < 5; i++) expect((await me(app, a.access_token)).statusCode).toBe(200);
    expect(app.queries.seen, 'a cached, valid token costs no query').toEqual([]);
    expect((await app.request({ method: 'POST', url: '/v1/auth/logout', token: a.access_token })).statusCode).toBe(204);
    app.queries.reset();
    expect((await me(app, a.access_token)).statusCode).toBe(401);
    expect(app.queries.seen, 'a revoked token is refused from memory').toEqual([]);
  });

  it('a valid API token may not manage sessions: 403, not 401', async () => {
    const a = await app.signUp();
    const key = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: a.access_token, payload: { name: 'cli', current_password: password } })).json().key;
    for (const [method, url] of [['GET', '/v1/me/sessions'], ['DELETE', '/v1/me/sessions'], ['POST', '/v1/auth/logout'], ['POST', '/v1/auth/logout-all']] as const) {
      const res = await app.request({ method, url, apiKey: key });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().code).toBe('permission_denied');
    }
  });
});

describe.each(backends)('revocation across instances on %s', (backend) => {
  it('a logout on one instance stops the token on another sharing the database and cache', async () => {
    const cache = new MemoryCache();
    const a = await testApp(backend, {}, { cache });
    const b = await createApp(a.config, { clock: a.clock, store: a.store, cache, mailWorker: false, log: a.core.log, migrate: false });
    try {
      const { access_token } = await a.signUp();
      const onB = () => b.http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${access_token}` } });
      expect((await onB()).statusCode).toBe(200);
      expect((await a.request({ method: 'POST', url: '/v1/auth/logout', token: access_token })).statusCode).toBe(204);
      expect((await onB()).statusCode).toBe(401);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('an instance started after a logout learns the revocation from the database', async () => {
    const a = await testApp(backend);
    try {
      const { access_token } = await a.signUp();
      await a.request({ method: 'POST', url: '/v1/auth/logout', token: access_token });
      const late = await createApp(a.config, { clock: a.clock, store: a.store, cache: new MemoryCache(), mailWorker: false, log: a.core.log, migrate: false });
      try {
        const res = await late.http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${access_token}` } });
        expect(res.statusCode).toBe(401);
      } finally {
        await late.close();
      }
    } finally {
      await a.close();
    }
  });
});
