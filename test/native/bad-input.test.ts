import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type InjectOptions, type TestApp } from '../support/app.js';
import { formBody, multipartBody, rawJson } from '../support/multipart.js';
import { openSession, tokenPair } from '../../src/core/sessions.js';
import { claims } from './support.js';
import { testPassword } from '../support/passwords.js';

type Auth = 'none' | 'session' | 'any';
interface Endpoint {
  method: InjectOptions['method'];
  url: string;
  auth: Auth;
  /** A body that passes validation (it may still fail on purpose: wrong password, unknown token). */
  body?: () => Record<string, unknown>;
}

let n = 0;
const endpoints: Endpoint[] = [
  { method: 'POST', url: '/v1/auth/register', auth: 'none', body: () => ({ username: `bad_input_${++n}`, password: testPassword, bio: 'hi', first_name: 'A', date_of_birth: '2000-01-01' }) },
  { method: 'POST', url: '/v1/auth/login', auth: 'none', body: () => ({ login: 'nobody-here', password: 'whatever it is' }) },
  { method: 'POST', url: '/v1/auth/refresh', auth: 'none', body: () => ({ refresh_token: 'not-a-real-token' }) },
  { method: 'POST', url: '/v1/auth/logout', auth: 'session' },
  { method: 'POST', url: '/v1/auth/logout-all', auth: 'session' },
  { method: 'GET', url: '/v1/me', auth: 'any' },
  { method: 'PATCH', url: '/v1/me', auth: 'any', body: () => ({ first_name: 'Pat', bio: 'b', phone_number: '+1 555 0101' }) },
  { method: 'DELETE', url: '/v1/me', auth: 'session', body: () => ({ password: 'not the password' }) },
  { method: 'PUT', url: '/v1/me/password', auth: 'session', body: () => ({ old_password: 'not the password', new_password: 'another sturdy one 77' }) },
  { method: 'GET', url: '/v1/me/dashboard', auth: 'any' },
  { method: 'PUT', url: '/v1/me/avatar', auth: 'session' },
  { method: 'DELETE', url: '/v1/me/avatar', auth: 'session' },
  { method: 'GET', url: '/v1/me/sessions', auth: 'session' },
  { method: 'GET', url: '/v1/me/sessions/AAAAAAAAAAAAAAAAAAAAAA', auth: 'session' },
  { method: 'DELETE', url: '/v1/me/sessions', auth: 'session' },
  { method: 'DELETE', url: '/v1/me/sessions/AAAAAAAAAAAAAAAAAAAAAA', auth: 'session' },
  { method: 'GET', url: '/v1/me/api-tokens', auth: 'session' },
  { method: 'POST', url: '/v1/me/api-tokens', auth: 'session', body: () => ({ name: 'bad input', expires_in_days: 5, current_password: testPassword }) },
  { method: 'DELETE', url: '/v1/me/api-tokens', auth: 'session' },
  { method: 'DELETE', url: '/v1/me/api-tokens/AAAAAAAAAAAAAAAA', auth: 'session' },
];

const wrongTypes: unknown[] = [123, 1.5, true, null, [], ['a'], {}, { $ne: '' }];
const oddStrings = ['a\u0000b', '\u202Eevil.exe\u200B\uFEFF', '👨‍👩‍👧‍👦 e\u0301\u0301 𝕌𝕟𝕚\uFFFF', '\r\n  '];
const loneSurrogates = ['"x\\udfffy\\ud800"'];
const deep = `{"a": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
const malformed = ['{"a":', "{'a': 1}", '[1, 2', '{"a": 1}}', 'nul', '\u0000', '{"a": "\\x41"}', '{"a": 01}', deep];
const notObjects = ['null', '[]', '"text"', '42', 'true', '[{"login": "a"}]'];
const big = 'x'.repeat(1_100_000);

describe.each(backends)('bad input on every native endpoint (%s)', (backend) => {
  let app: TestApp;
  let userId: number;
  let userToken: string;
  let apiKey: string;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    const s = await app.signUp();
    userId = s.user.id;
    userToken = s.access_token;
    apiKey = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: userToken, payload: { current_password: testPassword } })).json().key;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A new session's access token without a login round-trip, so logout-type requests never starve the others. */
  async function freshToken(): Promise<string> {
    const opened = await openSession(app.core, app.core.db, userId, { ip: '127.0.0.1', userAgent: 'test' });
    return (await tokenPair(app.core, userId, opened.sessionId, opened.refreshToken, opened)).access_token;
  }

  async function rowCounts(): Promise<string> {
    const { rows } = await sql<Record<string, unknown>>`select
      (select count(*) from users) as users, (select count(*) from api_tokens) as api_tokens,
      (select count(*) from avatars) as avatars, (select count(*) from outbox) as outbox,
      (select count(*) from sessions where revoked_at is null) as live_sessions`.execute(app.core.db);
    return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' || typeof v === 'string' ? Number(v) : v));
  }

  /** Sends one bad request: it must get a problem+json 4xx (or a 2xx where the input is merely odd), never a 5xx, and a 4xx changes nothing. */
  async function expectClean(e: Endpoint, opts: Partial<InjectOptions>, label: string, allowSuccess = false, expected?: number): Promise<number> {
    const auth = e.auth === 'none' || opts.headers?.authorization ? {} : { token: await freshToken() };
    const before = await rowCounts();
    const res = await app.request({ method: e.method, url: e.url, ...auth, ...opts });
    const where = `${e.method} ${e.url} ${label}: ${res.statusCode} ${res.body.slice(0, 200)}`;
    expect(res.statusCode, where).toBeLessThan(500);
    if (expected !== undefined) expect(res.statusCode, where).toBe(expected);
    if (res.statusCode >= 400) {
      expect(res.headers['content-type'], where).toContain('application/problem+json');
      const body = res.json();
      expect(body.status, where).toBe(res.statusCode);
      expect(typeof body.detail, where).toBe('string');
      const after = await rowCounts();
      // Failed logins write audit rows by design; nothing else may change.
      expect(after, `${where} left something half-written`).toBe(before);
    } else {
      expect(allowSuccess, where).toBe(true);
    }
    return res.statusCode;
  }

  const withBody = endpoints.filter((e) => e.method !== 'GET');

  it('malformed JSON → 400', async () => {
    for (const e of withBody) for (const text of malformed) await expectClean(e, rawJson(text), `malformed ${JSON.stringify(text.slice(0, 20))}`, false, 400);
  });

  it('a JSON body that is not an object → 400', async () => {
    for (const e of withBody) for (const text of notObjects) await expectClean(e, rawJson(text), `not an object ${text}`, e.body === undefined, e.body ? 400 : undefined);
  });

  it('wrong types for every field → 400 naming the field', async () => {
    for (const e of endpoints.filter((x) => x.body)) {
      for (const field of Object.keys(e.body!())) {
        const numeric = typeof e.body!()[field] === 'number';
        for (const value of numeric ? ['7', 'seven', true, [], {}, 1.5, -1] : wrongTypes) {
          if (field === 'date_of_birth' && value === null) continue;
          const status = await expectClean(e, { payload: { ...e.body!(), [field]: value } }, `${field}=${JSON.stringify(value)}`, false, 400);
          expect(status).toBe(400);
        }
      }
    }
  });

  it('missing required fields → 400 naming them; extra fields are ignored', async () => {
    for (const e of endpoints.filter((x) => x.body)) {
      const res = await app.request({ method: e.method, url: e.url, token: e.auth === 'none' ? undefined : await freshToken(), payload: {} });
      expect(res.statusCode, `${e.method} ${e.url}`).toBeLessThan(500);
      if (e.url !== '/v1/me' && e.url !== '/v1/me/api-tokens') {
        expect(res.statusCode, `${e.method} ${e.url} {}`).toBe(400);
        expect(Object.keys(res.json().errors ?? {}).length, `${e.method} ${e.url}`).toBeGreaterThan(0);
      }
      await expectClean(e, { payload: { ...e.body!(), is_superuser: true, id: 1, ['x'.repeat(300)]: 1, constructor: { prototype: { admin: true } } } }, 'extra fields', true);
    }
    const patched = await app.request({ method: 'PATCH', url: '/v1/me', token: await freshToken(), payload: { is_staff: true, is_superuser: true, email_verified: true } });
    expect(patched.json()).toMatchObject({ is_staff: false, is_superuser: false, email_verified: false });
  });

  it('1 MB+ bodies → 413, as JSON, form or multipart', async () => {
    for (const e of withBody) {
      const field = e.body ? Object.keys(e.body())[0]! : 'x';
      // The avatar route takes multipart only: a JSON or form body there may be refused as 415 first.
      const tooBig = e.url === '/v1/me/avatar' ? undefined : 413;
      await expectClean(e, { payload: JSON.stringify({ [field]: big }), headers: { 'content-type': 'application/json' } }, '1 MB JSON', false, tooBig);
      await expectClean(e, formBody({ [field]: big }), '1 MB form', false, tooBig);
      if (e.url !== '/v1/me/avatar') await expectClean(e, multipartBody({ [field]: big }), '1 MB multipart', false, 413);
      else await expectClean(e, multipartBody({ avatar: { filename: 'a.png', contentType: 'image/png', data: Buffer.alloc(3_000_000) } }), '3 MB upload', false, 413);
    }
  });

  it('NUL bytes and odd Unicode in every string field → a clear 4xx or a success, never 5xx', async () => {
    for (const e of endpoints.filter((x) => x.body)) {
      for (const field of Object.keys(e.body!())) {
        for (const odd of oddStrings) await expectClean(e, { payload: { ...e.body!(), [field]: odd } }, `${field}=${JSON.stringify(odd)}`, true);
        for (const escaped of loneSurrogates) {
          const base = JSON.stringify(e.body!());
          const text = base.replace(/}$/, `${base === '{}' ? '' : ','}"${field}": ${escaped}}`);
          const status = await expectClean(e, rawJson(text), `${field}=${escaped}`, true);
          if (['username', 'email', 'first_name', 'bio', 'password', 'new_password'].includes(field)) expect(status, `${e.url} ${field} ${escaped}`).toBeGreaterThanOrEqual(400);
        }
      }
    }
    for (const url of ['/v1/me/sessions/%00', '/v1/me/api-tokens/%00', '/v1/me/sessions/%E2%80%AE', '/v1/me/api-tokens/a%20b', `/v1/me/sessions/${'A'.repeat(300)}`]) {
      await expectClean({ method: 'DELETE', url, auth: 'session' }, {}, 'odd id', false);
      await expectClean({ method: 'GET', url, auth: 'session' }, {}, 'odd id', false);
    }
  });

  it('broken multipart bodies → 400', async () => {
    const good = multipartBody({ a: 'b' });
    const boundary = good.headers['content-type'].split('boundary=')[1]!;
    const cases: [string, Buffer | string, string][] = [
      ['no boundary', good.payload, 'multipart/form-data'],
      ['empty boundary', good.payload, 'multipart/form-data; boundary='],
      ['over-long boundary', good.payload, `multipart/form-data; boundary=${'b'.repeat(300)}`],
      ['truncated', good.payload.subarray(0, 40), good.headers['content-type']],
      ['garbage', 'garbage\r\n\r\n', good.headers['content-type']],
      ['unterminated part', `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue`, good.headers['content-type']],
      ['file cut short', `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`, good.headers['content-type']],
    ];
    for (const e of withBody) {
      // Routes that read no body may ignore what they cannot parse; the others must answer 400.
      const emptyIsValid = !e.body || (e.method === 'PATCH' && e.url === '/v1/me') || (e.method === 'POST' && e.url === '/v1/me/api-tokens');
      for (const [label, payload, type] of cases) await expectClean(e, { payload, headers: { 'content-type': type } }, label, emptyIsValid && e.url !== '/v1/me/avatar', emptyIsValid ? undefined : 400);
    }
  });

  it('wrong content types → 415', async () => {
    for (const e of withBody) {
      for (const type of ['text/plain', 'application/xml', 'text/html', 'application/octet-stream', 'application/x-msgpack']) {
        await expectClean(e, { payload: '<login>a</login>', headers: { 'content-type': type } }, type, false, 415);
      }
    }
  });

  it('missing, malformed, tampered, expired and other-algorithm tokens → 401 with WWW-Authenticate', async () => {
    const key = app.core.keys.signingKey();
    const now = Math.floor(app.clock.now() / 1000);
    const sid = claims(userToken).payload.sid as string;
    const base = { token_type: 'access', user_id: userId, sid };
    const expired = await new SignJWT(base).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject(String(userId)).setIssuedAt(now - 600).setExpirationTime(now - 300).sign(key.signing);
    const hs = await new SignJWT(base).setProtectedHeader({ alg: 'HS256', kid: key.kid }).setSubject(String(userId)).setIssuedAt(now).setExpirationTime(now + 300).sign(new TextEncoder().encode('x'.repeat(32)));
    const [h, p, s] = userToken.split('.');
    const tampered = `${h}.${p!.slice(0, -3)}abc.${s}`;
    const headers = [
      'Bearer', 'Bearer ', 'Bearer a b', `Bearer ${expired}`, `Bearer ${hs}`, `Bearer ${tampered}`, `Bearer ${'x'.repeat(10_000)}`,
      'Bearer \u00e9\u00e9', 'Basic dXNlcjpwYXNz', 'Token nope', `Token ${'y'.repeat(1000)}`, `Bearer ${apiKey}`, 'Bearer null', 'JWT abc.def.ghi',
    ];
    for (const e of endpoints.filter((x) => x.auth !== 'none')) {
      for (const authorization of [undefined, ...headers]) {
        const res = await app.request({ method: e.method, url: e.url, headers: authorization === undefined ? {} : { authorization }, payload: e.body?.() });
        const where = `${e.method} ${e.url} ${String(authorization).slice(0, 30)}`;
        expect(res.statusCode, where).toBe(401);
        expect(res.headers['www-authenticate'], where).toMatch(/^Bearer realm="gatehouse"/);
        expect(res.headers['content-type'], where).toContain('application/problem+json');
      }
    }
  });

  it('leaves the account it hammered intact', async () => {
    const me = await app.request({ method: 'GET', url: '/v1/me', token: await freshToken() });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: userId, is_staff: false });
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: me.json().username, password: testPassword } });
    expect(login.statusCode).toBe(200);
  });

  it('system endpoints answer and unknown routes are problem+json 404s', async () => {
    expect((await app.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    for (const url of ['/v1/nope', '/v1/me/../../etc/passwd', '/v1/auth/login%00', '/%ff%fe']) {
      const res = await app.request({ method: 'GET', url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
  });
});
