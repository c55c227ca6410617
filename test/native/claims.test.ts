import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { requireSimpleJwt, startSimpleJwtService, type SimpleJwtService } from '../support/simplejwt-service.js';
import { testPassword } from '../support/passwords.js';

const password = testPassword;
const me = (app: TestApp, token: string) => app.request({ method: 'GET', url: '/v1/me', token });
const refresh = (app: TestApp, refreshToken: string) => app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: refreshToken } });

/** An access token signed with the app's own key, with `claims` over what Gatehouse puts in, issued at `iat` and valid for 5 minutes from now. */
async function ownSigned(app: TestApp, access: string, claims: Record<string, unknown>, iat = Math.floor(app.clock.now() / 1000)): Promise<string> {
  const now = Math.floor(app.clock.now() / 1000);
  const { user_id, sid, auth_time } = decodeJwt(access);
  const key = app.core.keys.signingKey();
  const payload = { token_type: 'access', user_id, sid, auth_time, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k as keyof typeof payload];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(String(user_id)).setIssuedAt(iat).setNotBefore(iat).setExpirationTime(now + 300)
    .sign(key.signing);
}

describe('config: GATEHOUSE_ISSUER and GATEHOUSE_AUDIENCE', () => {
  const base = { GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: '/tmp/unused' };
  it('defaults: the public URL as issuer, no audience', () => {
    const c = loadConfig({ ...base, GATEHOUSE_PUBLIC_URL: 'https://auth.example.com/' });
    expect(c.jwtIssuer).toBe('https://auth.example.com');
    expect(c.jwtAudience).toEqual([]);
  });
  it('reads a list of audiences and one issuer', () => {
    const c = loadConfig({ ...base, GATEHOUSE_ISSUER: 'urn:gatehouse', GATEHOUSE_AUDIENCE: ' svc-a, svc-b ,' });
    expect(c.jwtIssuer).toBe('urn:gatehouse');
    expect(c.jwtAudience).toEqual(['svc-a', 'svc-b']);
  });
  it('refuses an issuer list and values with spaces or control characters, naming the variable', () => {
    for (const [name, value] of [['GATEHOUSE_ISSUER', 'a,b'], ['GATEHOUSE_AUDIENCE', 'svc a'], ['GATEHOUSE_AUDIENCE', 'svc\u0000'], ['GATEHOUSE_ISSUER', 'x'.repeat(600)]] as const) {
      expect(() => loadConfig({ ...base, [name]: value }), `${name}=${value.slice(0, 20)}`).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
    }
  });
});

describe.each(backends)('standard access-token claims on %s', (backend) => {
  describe('defaults', () => {
    let app: TestApp;
    let startedAt: number;
    beforeAll(async () => {
      app = await testApp(backend, { GATEHOUSE_COMPAT: 'simplejwt' });
      startedAt = Math.floor(app.clock.now() / 1000);
      await relaxRateLimits(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('carries iss (the public URL), sid (the session id) and auth_time, and no aud', async () => {
      const signedUpAt = Math.floor(app.clock.now() / 1000);
      const { access_token } = await app.signUp();
      const claims = decodeJwt(access_token);
      expect(claims.iss).toBe(app.core.config.publicUrl);
      expect(claims.auth_time).toBe(signedUpAt);
      expect('aud' in claims).toBe(false);
      const sessions = (await app.request({ method: 'GET', url: '/v1/me/sessions', token: access_token })).json();
      expect(sessions).toHaveLength(1);
      expect(claims.sid).toBe(sessions[0].id);
    });

    it('auth_time is the login, not the refresh: stable across rotations; sid stays', async () => {
      const { user } = await app.signUp();
      app.clock.advance(3600);
      const loggedInAt = Math.floor(app.clock.now() / 1000);
      const login = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.username, password } })).json();
      const first = decodeJwt(login.access_token);
      expect(first.auth_time).toBe(loggedInAt);
      let refreshToken = login.refresh_token as string;
      for (let i = 0; i < 2; i++) {
        app.clock.advance(120);
        const res = await refresh(app, refreshToken);
        expect(res.statusCode, res.body).toBe(200);
        const next = decodeJwt(res.json().access_token);
        expect(next.iat).toBe(Math.floor(app.clock.now() / 1000));
        expect(next).toMatchObject({ auth_time: loggedInAt, sid: first.sid, iss: first.iss });
        expect((await me(app, res.json().access_token)).statusCode).toBe(200);
        refreshToken = res.json().refresh_token;
      }
    });

    it('the simplejwt profile keeps its profile claims and gains iss, sid and auth_time, stable across its refresh', async () => {
      const { user } = await app.signUp();
      const obtainedAt = Math.floor(app.clock.now() / 1000);
      const pair = (await app.request({ method: 'POST', url: '/api/token/', payload: { email: user.email, password } })).json();
      const claims = decodeJwt(pair.access);
      expect(claims).toMatchObject({ token_type: 'access', user_id: user.id, username: user.username, email: user.email, iss: app.core.config.publicUrl, auth_time: obtainedAt });
      expect(typeof claims.sid).toBe('string');
      expect('aud' in claims).toBe(false);
      app.clock.advance(60);
      const res = await app.request({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } });
      expect(res.statusCode, res.body).toBe(200);
      expect(decodeJwt(res.json().access)).toMatchObject({ username: user.username, auth_time: obtainedAt, sid: claims.sid, iss: claims.iss });
      expect(decodeJwt(res.json().access).exp).toBe(Math.floor(app.clock.now() / 1000) + app.core.settings.get('access_token_ttl'));
    });

    it('attack: a token signed with our key for another issuer is refused', async () => {
      const { access_token } = await app.signUp();
      const foreign = await ownSigned(app, access_token, { iss: 'https://staging.example.com' });
      const res = await me(app, foreign);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_token');
      expect((await me(app, await ownSigned(app, access_token, { iss: app.core.config.publicUrl }))).statusCode).toBe(200);
    });

    it('an aud is not checked when GATEHOUSE_AUDIENCE is unset', async () => {
      const { access_token } = await app.signUp();
      expect((await me(app, await ownSigned(app, access_token, { iss: app.core.config.publicUrl, aud: 'anything' }))).statusCode).toBe(200);
    });

    it('a token without iss (from before the upgrade) is accepted only if issued within one access lifetime of the start', async () => {
      const { access_token } = await app.signUp();
      const windowEnd = startedAt + app.core.settings.get('access_token_ttl');
      if (Math.floor(app.clock.now() / 1000) <= windowEnd) app.clock.advance(windowEnd + 1 - Math.floor(app.clock.now() / 1000));
      expect((await me(app, await ownSigned(app, access_token, { iss: undefined }, startedAt))).statusCode).toBe(200);
      expect((await me(app, await ownSigned(app, access_token, { iss: undefined }, windowEnd))).statusCode).toBe(200);
      // Issued after the window: only an older deployment sharing the key could have made it.
      const late = await ownSigned(app, access_token, { iss: undefined }, windowEnd + 1);
      const res = await me(app, late);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_token');
      expect((await me(app, await ownSigned(app, access_token, { iss: app.core.config.publicUrl }))).statusCode, 'with iss it is fine').toBe(200);
    });
  });

  describe.each([
    ['one audience', 'svc-a', 'svc-a'],
    ['several audiences', 'svc-a,svc-b', ['svc-a', 'svc-b']],
  ])('GATEHOUSE_AUDIENCE with %s', (_name, audience, aud) => {
    let app: TestApp;
    let startedAt: number;
    beforeAll(async () => {
      app = await testApp(backend, { GATEHOUSE_AUDIENCE: audience, GATEHOUSE_ISSUER: 'urn:example:gatehouse' });
      startedAt = Math.floor(app.clock.now() / 1000);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('puts it in aud (a string for one, a list for several) and the configured issuer in iss', async () => {
      const { access_token } = await app.signUp();
      expect(decodeJwt(access_token)).toMatchObject({ aud, iss: 'urn:example:gatehouse' });
      expect((await me(app, access_token)).statusCode).toBe(200);
    });

    it('attack: a token signed with our key for another audience is refused; one naming any of ours is accepted', async () => {
      const { access_token } = await app.signUp();
      const iss = 'urn:example:gatehouse';
      expect((await me(app, await ownSigned(app, access_token, { iss, aud: 'svc-c' }))).statusCode).toBe(401);
      expect((await me(app, await ownSigned(app, access_token, { iss, aud: ['svc-c', 'svc-d'] }))).statusCode).toBe(401);
      expect((await me(app, await ownSigned(app, access_token, { iss, aud: ['svc-c', 'svc-a'] }))).statusCode).toBe(200);
    });

    it('a token without aud is accepted only within the upgrade window', async () => {
      const { access_token } = await app.signUp();
      const iss = 'urn:example:gatehouse';
      const windowEnd = startedAt + app.core.settings.get('access_token_ttl');
      app.clock.advance(windowEnd + 60 - Math.floor(app.clock.now() / 1000));
      expect((await me(app, await ownSigned(app, access_token, { iss, aud: undefined }, startedAt))).statusCode).toBe(200);
      expect((await me(app, await ownSigned(app, access_token, { iss, aud: undefined }))).statusCode).toBe(401);
    });
  });
});

describe.each(backends)('a Django service verifying with real SimpleJWT (HS256) on %s', (backend) => {
  const secret = 'shared-hs256-secret-for-the-django-services-0123456789';
  const services: Record<'plain' | 'svcA' | 'svcB', SimpleJwtService | undefined> = { plain: undefined, svcA: undefined, svcB: undefined };
  const apps: TestApp[] = [];
  const issuer = 'https://auth.example.com';
  beforeAll(async () => {
    requireSimpleJwt();
    [services.plain, services.svcA, services.svcB] = await Promise.all([
      // As services run today: no AUDIENCE, no ISSUER.
      startSimpleJwtService({ signingKey: secret }),
      startSimpleJwtService({ signingKey: secret, audience: 'svc-a', issuer }),
      startSimpleJwtService({ signingKey: secret, audience: 'svc-b', issuer }),
    ]);
  });
  afterAll(async () => {
    for (const s of Object.values(services)) s?.stop();
    for (const a of apps) await a.close();
  });
  const hsApp = async (env: Record<string, string> = {}) => {
    const app = await testApp(backend, { GATEHOUSE_JWT_ALG: 'HS256', GATEHOUSE_JWT_SECRET: secret, GATEHOUSE_PUBLIC_URL: issuer, ...env });
    apps.push(app);
    return app;
  };

  it('GATEHOUSE_AUDIENCE unset: accepted as today; services expecting an audience refuse the token without one', async () => {
    const app = await hsApp();
    const { access_token, user } = await app.signUp();
    expect(await services.plain!.get('/whoami', access_token)).toEqual({ status: 200, body: { user_id: user.id } });
    expect(await services.plain!.get('/pyjwt', access_token)).toEqual({ status: 200, body: { user_id: user.id } });
    expect((await services.svcA!.get('/whoami', access_token)).status).toBe(401);
  });

  it('GATEHOUSE_AUDIENCE=svc-a: accepted by the service with AUDIENCE svc-a, refused by the one with svc-b', async () => {
    const app = await hsApp({ GATEHOUSE_AUDIENCE: 'svc-a' });
    const { access_token, user } = await app.signUp();
    expect(await services.svcA!.get('/whoami', access_token)).toEqual({ status: 200, body: { user_id: user.id } });
    const refused = await services.svcB!.get('/whoami', access_token);
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    // Why aud stays out by default: PyJWT, which SimpleJWT stands on, refuses it when the caller expects none.
    expect(await services.plain!.get('/pyjwt', access_token)).toEqual({ status: 401, body: { error: 'InvalidAudienceError' } });
  });

  it('a service with ISSUER set refuses a token from another issuer', async () => {
    const app = await hsApp({ GATEHOUSE_AUDIENCE: 'svc-a', GATEHOUSE_ISSUER: 'https://other.example.com' });
    const { access_token } = await app.signUp();
    expect((await services.svcA!.get('/whoami', access_token)).status).toBe(401);
  });
});
