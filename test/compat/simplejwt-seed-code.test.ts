import { settingDefs } from '../../src/core/settings.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { explainable, postgresPlanProblems, recordQueries, sqlitePlanProblems } from '../support/query-capture.js';
import { python, requireSimpleJwt } from '../support/simplejwt-service.js';
import { compatApp, expectDrfJson, strong } from './support.js';

// Seed 001's code, as ../shared/seed-behaviour.md records it: SimpleJWT 5.3.1's words (one message for a
// bad and an expired token, "Token has wrong type" for the other kind), get_user()'s user_not_found and
// user_inactive, and the seed's 400 for a username login (USERNAME_FIELD is `email`).
const challenge = 'Bearer realm="api"';
const tokenBody = (message: string) => ({
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
});
const seed = {
  bearerInvalid: tokenBody('Token is invalid or expired'),
  bearerWrongType: tokenBody('Token has wrong type'),
  userNotFound: { detail: 'User not found', code: 'user_not_found' },
  userInactive: { detail: 'User is inactive', code: 'user_inactive' },
  refreshInvalid: { detail: 'Token is invalid or expired', code: 'token_not_valid' },
  refreshWrongType: { detail: 'Token has wrong type', code: 'token_not_valid' },
  usernameLogin: { email: ['This field is required.'] },
};

interface RealBodies {
  old_refresh: string;
  refresh_foreign: unknown;
  refresh_wrong_type: unknown;
  bearer_foreign: unknown;
  bearer_expired: unknown;
  bearer_wrong_type: unknown;
  user_not_found: unknown;
  user_inactive: unknown;
}

/** Runs Debian's SimpleJWT (simplejwt_bodies.py) for its bodies and an old system's refresh JWT. */
function realSimpleJwt(): RealBodies {
  requireSimpleJwt();
  const script = fileURLToPath(new URL('./simplejwt_bodies.py', import.meta.url));
  const run = spawnSync(python, [script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (run.status !== 0) throw new Error(`simplejwt_bodies.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as RealBodies;
}

describe('Debian\'s SimpleJWT answers what seed-behaviour.md records for 5.3.1', () => {
  it('the same bodies, word for word', () => {
    const real = realSimpleJwt();
    expect(real.bearer_foreign).toEqual(seed.bearerInvalid);
    expect(real.bearer_expired).toEqual(seed.bearerInvalid);
    expect(real.bearer_wrong_type).toEqual(seed.bearerWrongType);
    expect(real.user_not_found).toEqual(seed.userNotFound);
    expect(real.user_inactive).toEqual(seed.userInactive);
    expect(real.refresh_foreign).toEqual(seed.refreshInvalid);
    expect(real.refresh_wrong_type).toEqual(seed.refreshWrongType);
  });
});

describe.each(backends)('compat simplejwt: what seed 001\'s code answers, on %s', (backend) => {
  let app: TestApp;
  let real: RealBodies;
  beforeAll(async () => {
    real = realSimpleJwt();
    app = await compatApp(backend, 'simplejwt');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown) => app.request({ method: 'POST', url, payload });
  const dashboard = (token: string) => app.request({ method: 'GET', url: '/api/dashboard/', token });
  const register = async (email: string, username?: string): Promise<number> => {
    const res = await post('/api/register/', { email, password: strong, ...(username === undefined ? {} : { username }) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  };
  const obtain = async (email: string) => {
    const res = await post('/api/token/', { email, password: strong });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { access: string; refresh: string };
  };
  const expectRefused = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown; body: string }, body: unknown) => {
    expect(res.statusCode, res.body).toBe(401);
    expect(res.headers['www-authenticate']).toBe(challenge);
    expectDrfJson(res);
    expect(res.json()).toEqual(body);
  };
  /** A superuser's access token, for the admin API's deactivation and deletion. */
  const adminToken = async (email: string) => {
    const id = await register(email);
    await app.core.db.updateTable('users').set({ is_staff: 1, is_superuser: 1 }).where('id', '=', id).execute();
    await app.core.users.invalidate(id);
    return (await obtain(email)).access;
  };

  describe('logging in with "username", as the README does', () => {
    it('a username exactly one account has logs in as that account', async () => {
      await register('admin@gmail.com', 'admin');
      const res = await post('/api/token/', { username: 'admin', password: strong });
      expect(res.statusCode, res.body).toBe(200);
      expect(decodeJwt(res.json().access)).toMatchObject({ username: 'admin', email: 'admin@gmail.com' });
      expect((await dashboard(res.json().access)).json()).toEqual({ response: 'Hey admin, You are seeing a GET response' });
      // The email in `username` still works, and names the same one account.
      expect((await post('/api/token/', { username: 'admin@gmail.com', password: strong })).statusCode).toBe(200);
    });

    it('a wrong password or a username nobody has is SimpleJWT\'s "no active account"; usernames match exactly', async () => {
      await register('solo@example.com', 'solo');
      for (const payload of [{ username: 'solo', password: 'not the password' }, { username: 'nobody-has-this', password: strong }, { username: 'SOLO', password: strong }]) {
        const res = await post('/api/token/', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(401);
        expect(res.json()).toEqual({ detail: 'No active account found with the given credentials' });
      }
    });

    it('a username two accounts share names neither: the seed\'s 400 for a username login', async () => {
      await register('twin1@example.com', 'twin');
      await register('twin2@example.com', 'twin');
      const res = await post('/api/token/', { username: 'twin', password: strong });
      expect(res.statusCode, res.body).toBe(400);
      expectDrfJson(res);
      expect(res.json()).toEqual(seed.usernameLogin);
      // Each still logs in by email.
      expect((await post('/api/token/', { email: 'twin1@example.com', password: strong })).statusCode).toBe(200);
    });

    it('attack: probing which usernames are shared goes unthrottled', async () => {
      await register('probe1@example.com', 'probe-twin');
      await register('probe2@example.com', 'probe-twin');
      await app.core.settings.update({ rate_login_ip: 3 }, null);
      try {
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) codes.push((await app.request({ method: 'POST', url: '/api/token/', payload: { username: 'probe-twin', password: strong }, remoteAddress: '198.51.100.77' })).statusCode);
        expect(codes).toEqual([400, 400, 400, 429]);
      } finally {
        await app.core.settings.update({ rate_login_ip: settingDefs.rate_login_ip.initial() }, null);
      }
    });

    it('a username that is another account\'s email is ambiguous too', async () => {
      await register('first@example.com', 'mixed@example.com');
      await register('mixed@example.com', 'someone');
      const res = await post('/api/token/', { username: 'mixed@example.com', password: strong });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual(seed.usernameLogin);
    });

    it('two accounts made with the same username directly in the database (an import) are refused alike', async () => {
      await register('dbtwin1@example.com', 'dbtwin-a');
      const id = await register('dbtwin2@example.com', 'dbtwin-b');
      await app.core.db.updateTable('users').set({ username: 'dbtwin-a' }).where('id', '=', id).execute();
      await app.core.users.invalidate(id);
      expect((await post('/api/token/', { username: 'dbtwin-a', password: strong })).json()).toEqual(seed.usernameLogin);
      expect((await post('/api/token/', { username: 'dbtwin-b', password: strong })).statusCode).toBe(401);
    });
  });

  describe('JWTAuthentication\'s bodies', () => {
    it('an expired access token: "Token is invalid or expired"', async () => {
      await register('expired@example.com');
      const { access } = await obtain('expired@example.com');
      expect((await dashboard(access)).statusCode).toBe(200);
      app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
      expectRefused(await dashboard(access), seed.bearerInvalid);
      expect(real.bearer_expired).toEqual(seed.bearerInvalid);
    });

    it('a forged access token and a JWT signed by another system: "Token is invalid or expired"', async () => {
      await register('forged@example.com');
      const { access } = await obtain('forged@example.com');
      const [header, payload, signature] = access.split('.');
      const flipped = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
      expectRefused(await dashboard(flipped), seed.bearerInvalid);
      expectRefused(await dashboard(real.old_refresh), seed.bearerInvalid);
      expectRefused(await dashboard('not-a-token'), seed.bearerInvalid);
    });

    it('a refresh token used as the access token: "Token has wrong type"', async () => {
      await register('wrongtype@example.com');
      const { refresh } = await obtain('wrongtype@example.com');
      expectRefused(await dashboard(refresh), seed.bearerWrongType);
    });

    it('a disabled user: "User is inactive" (user_inactive), whether or not the sessions were ended', async () => {
      const boss = await adminToken('boss-inactive@example.com');
      const id = await register('inactive@example.com');
      const { access } = await obtain('inactive@example.com');
      const res = await app.request({ method: 'PATCH', url: `/v1/admin/users/${id}`, token: boss, payload: { is_active: false } });
      expect(res.statusCode, res.body).toBe(200);
      expectRefused(await dashboard(access), seed.userInactive);
    });

    it('a deleted user: "User not found" (user_not_found)', async () => {
      const boss = await adminToken('boss-delete@example.com');
      const id = await register('deleted@example.com');
      const { access } = await obtain('deleted@example.com');
      const res = await app.request({ method: 'DELETE', url: `/v1/admin/users/${id}`, token: boss });
      expect(res.statusCode, res.body).toBe(204);
      expectRefused(await dashboard(access), seed.userNotFound);
    });

    it('a session ended by logout stays "Token is invalid or expired" (the account is fine)', async () => {
      await register('loggedout@example.com');
      const { access } = await obtain('loggedout@example.com');
      expect((await app.request({ method: 'POST', url: '/v1/auth/logout', token: access })).statusCode).toBe(204);
      expectRefused(await dashboard(access), seed.bearerInvalid);
    });
  });

  it('the username lookup and the refresh-token check of a refused bearer are index-backed', async () => {
    await register('plan@example.com', 'plan');
    const { refresh } = await obtain('plan@example.com');
    const captured = await recordQueries(app, 'simplejwt username login, refresh token as bearer', async () => {
      expect((await post('/api/token/', { username: 'plan', password: strong })).statusCode).toBe(200);
      expect((await dashboard(refresh)).statusCode).toBe(401);
    });
    const statements = captured.filter(explainable);
    expect(statements.some((q) => /lower\(username\)/.test(q.sql))).toBe(true);
    expect(statements.some((q) => /from "refresh_tokens" where "token_hash"/.test(q.sql))).toBe(true);
    for (const q of statements) {
      const { plan, problems } = backend === 'sqlite' ? await sqlitePlanProblems(app.store.db, q) : await postgresPlanProblems(app.store.db, q, true);
      expect(problems, `${q.sql}\n${plan.join(' | ')}`).toEqual([]);
    }
  });

  describe('TokenRefreshView\'s bodies', () => {
    it('an access token presented for refresh: "Token has wrong type"', async () => {
      await register('refreshtype@example.com');
      const { access } = await obtain('refreshtype@example.com');
      expectRefused(await post('/api/token/refresh/', { refresh: access }), seed.refreshWrongType);
    });

    it('a refresh token longer than 512 characters is a 401 like any unusable one, never a 400', async () => {
      expectRefused(await post('/api/token/refresh/', { refresh: 'x'.repeat(600) }), seed.refreshInvalid);
    });

    it('the old system\'s refresh JWT (a real SimpleJWT one, over 512 characters) gets what SimpleJWT gives it', async () => {
      expect(real.old_refresh.length).toBeGreaterThan(512);
      expect(real.refresh_foreign).toEqual(seed.refreshInvalid);
      expectRefused(await post('/api/token/refresh/', { refresh: real.old_refresh }), real.refresh_foreign);
    });

    it('a made-up or expired refresh token: "Token is invalid or expired"', async () => {
      await register('refreshold@example.com');
      const { refresh } = await obtain('refreshold@example.com');
      expectRefused(await post('/api/token/refresh/', { refresh: 'made-up' }), seed.refreshInvalid);
      app.clock.advance(app.core.settings.get('refresh_token_ttl') + 1);
      expectRefused(await post('/api/token/refresh/', { refresh }), seed.refreshInvalid);
    });
  });
});
