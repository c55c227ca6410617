import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { compatApp, strong } from './support.js';

/**
 * CORS (issue 14): seeds 001 and 002 allowed every origin (django-cors-headers'
 * CORS_ALLOW_ALL_ORIGINS), so their profiles' routes do; GATEHOUSE_CORS_ORIGINS sets the
 * whole server's; the admin console and admin API never answer cross-origin; no credentials mode.
 */

const front = 'https://front.example.com';
const preflightHeaders = (origin: string, method = 'POST') => ({ origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' });

/** The admin console's pages and cookie-authenticated API, and other spellings a router or proxy might map to them. */
const adminPaths = ['/admin', '/admin/', '/admin/login', '/v1/admin/users', '/v1/admin/audit', '/V1/Admin/users', '//admin/login', '/%61dmin/login', '/v1//admin/users'];

type Response = Awaited<ReturnType<TestApp['request']>>;

function expectNoCors(res: Response, what: string): void {
  expect(res.headers['access-control-allow-origin'], what).toBeUndefined();
  expect(res.headers['access-control-allow-methods'], what).toBeUndefined();
  expect(res.headers['access-control-allow-credentials'], what).toBeUndefined();
}

describe.each(backends)('CORS on %s', (backend) => {
  describe('default: the simplejwt profile\'s routes allow any origin, nothing else does', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await compatApp(backend, 'simplejwt,drf-token');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('a preflight to a profile route answers 204 with the methods, the two headers and a max age, without credentials', async () => {
      for (const url of ['/api/token/', '/api/token', '/api/register/', '/api/dashboard/?x=1']) {
        const res = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(front) });
        expect(res.statusCode, url).toBe(204);
        expect(res.headers['access-control-allow-origin'], url).toBe('*');
        expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
        expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
        expect(res.headers['access-control-max-age']).toBe('600');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(res.body).toBe('');
      }
    });

    it('simple and actual requests to a profile route carry Access-Control-Allow-Origin: *, errors included', async () => {
      const created = await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'cors@example.com', password: strong }, headers: { origin: front } });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers['access-control-allow-origin']).toBe('*');
      expect(created.headers['access-control-allow-credentials']).toBeUndefined();
      const refused = await app.request({ method: 'POST', url: '/api/token/', payload: { email: 'cors@example.com', password: 'wrong' }, headers: { origin: front } });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['access-control-allow-origin'], 'a browser app must be able to read the error').toBe('*');
      const noOrigin = await app.request({ method: 'POST', url: '/api/token/', payload: { email: 'cors@example.com', password: strong } });
      expect(noOrigin.headers['access-control-allow-origin'], 'no Origin, no CORS headers').toBeUndefined();
      expect(String(noOrigin.headers.vary)).toMatch(/origin/i);
    });

    it('routes of other profiles and the native API send no CORS headers; their preflights are refused', async () => {
      for (const url of ['/login/', '/v1/auth/login', '/v1/me', '/nowhere']) {
        const res = await app.request({ method: 'POST', url, payload: {}, headers: { origin: front } });
        expectNoCors(res, url);
        const pre = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(front) });
        expect(pre.statusCode, url).toBe(404);
        expectNoCors(pre, url);
      }
    });

    it('attack: the admin console and admin API never answer cross-origin', async () => {
      for (const url of adminPaths) {
        const pre = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(front) });
        expectNoCors(pre, `preflight ${url}`);
        const get = await app.request({ method: 'GET', url, headers: { origin: front } });
        expectNoCors(get, `GET ${url}`);
      }
    });
  });

  describe('GATEHOUSE_CORS_ORIGINS lists origins: exact matches only, for the whole server but the admin console', () => {
    let app: TestApp;
    const allowed = 'https://app.example.com';
    beforeAll(async () => {
      app = await compatApp(backend, 'simplejwt', { GATEHOUSE_CORS_ORIGINS: `${allowed}, http://localhost:5173` });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reflects a listed origin (with Vary: Origin) on profile routes and the native API', async () => {
      for (const url of ['/api/token/', '/v1/auth/login']) {
        const pre = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(allowed) });
        expect(pre.statusCode, url).toBe(204);
        expect(pre.headers['access-control-allow-origin']).toBe(allowed);
        expect(String(pre.headers.vary)).toMatch(/origin/i);
        expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
        const res = await app.request({ method: 'POST', url, payload: {}, headers: { origin: 'http://localhost:5173' } });
        expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
        expect(String(res.headers.vary)).toMatch(/origin/i);
      }
    });

    it('attack: look-alike origins get no Access-Control-Allow-Origin (the profile\'s * no longer applies)', async () => {
      const lookAlikes = [
        'https://app.example.com.evil.test', 'https://evilapp.example.com', 'https://evil.app.example.com', 'http://app.example.com',
        'https://app.example.com:8443', 'https://APP.example.com', 'https://app.example.co', 'null', 'https://app.example.com/', `${allowed}, https://evil.test`,
      ];
      for (const origin of lookAlikes) {
        for (const url of ['/api/token/', '/v1/auth/login']) {
          const pre = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(origin) });
          expectNoCors(pre, `preflight ${origin} ${url}`);
          const res = await app.request({ method: 'POST', url, payload: {}, headers: { origin } });
          expectNoCors(res, `${origin} ${url}`);
        }
      }
    });

    it('attack: a listed origin still gets nothing from the admin console', async () => {
      for (const url of adminPaths) {
        expectNoCors(await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(allowed) }), `preflight ${url}`);
        expectNoCors(await app.request({ method: 'GET', url, headers: { origin: allowed } }), `GET ${url}`);
      }
    });
  });
});

describe('CORS settings', () => {
  it('GATEHOUSE_CORS_ORIGINS=* allows any origin everywhere but the admin console, never with credentials', async () => {
    const app = await compatApp('sqlite', 'jwt-otp', { GATEHOUSE_CORS_ORIGINS: '*' });
    try {
      for (const url of ['/auth/login/', '/api/login/', '/auth/refresh/', '/v1/auth/login']) {
        const pre = await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(front) });
        expect(pre.statusCode, url).toBe(204);
        expect(pre.headers['access-control-allow-origin']).toBe('*');
        expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
      }
      for (const url of adminPaths) expectNoCors(await app.request({ method: 'OPTIONS', url, headers: preflightHeaders(front) }), url);
    } finally {
      await app.close();
    }
  });

  it('the jwt-otp profile allows any origin by default; GATEHOUSE_CORS_ORIGINS=none turns it off', async () => {
    const open = await compatApp('sqlite', 'jwt-otp');
    try {
      for (const url of ['/auth/login/', '/api/user/', '/auth/check_otp/']) {
        const pre = await open.request({ method: 'OPTIONS', url, headers: preflightHeaders(front, 'PATCH') });
        expect(pre.statusCode, url).toBe(204);
        expect(pre.headers['access-control-allow-origin']).toBe('*');
      }
    } finally {
      await open.close();
    }
    const closed = await compatApp('sqlite', 'jwt-otp', { GATEHOUSE_CORS_ORIGINS: 'none' });
    try {
      const pre = await closed.request({ method: 'OPTIONS', url: '/auth/login/', headers: preflightHeaders(front) });
      expect(pre.statusCode).toBe(404);
      expectNoCors(pre, 'none');
      expectNoCors(await closed.request({ method: 'POST', url: '/auth/login/', payload: {}, headers: { origin: front } }), 'none');
    } finally {
      await closed.close();
    }
  });

  it('refuses values that are not origins, naming the variable', () => {
    for (const bad of ['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', '*, https://app.example.com', 'https://*.example.com', 'ftp://files.example.com', 'https://APP.example.com', 'https://user@app.example.com']) {
      expect(() => loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_CORS_ORIGINS: bad }), bad).toThrow(/GATEHOUSE_CORS_ORIGINS/);
    }
    expect(loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_CORS_ORIGINS: 'https://a.example.com,http://localhost:3000' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:3000']);
    expect(loadConfig({ GATEHOUSE_ENV: 'test' }).corsOrigins).toBeUndefined();
  });
});
