import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type InjectOptions, type TestApp } from '../support/app.js';
import { formBody, rawJson } from '../support/multipart.js';
import { openSession, tokenPair } from '../../src/core/sessions.js';
import { addPasskey, origin, passkeyEnv, SoftAuthenticator, testPassword } from './passkey-support.js';

type Auth = 'none' | 'session' | 'any';
interface Endpoint {
  method: InjectOptions['method'];
  url: string;
  auth: Auth;
  body?: () => Record<string, unknown>;
}

const wrongTypes: unknown[] = [123, 1.5, true, null, [], ['a'], {}, { $ne: '' }];
const malformed = ['{"a":', "{'a': 1}", '[1, 2', '{"a": 1}}', 'nul', '\u0000', '{"a": 01}'];
const notObjects = ['null', '[]', '"text"', '42', 'true'];
const big = 'x'.repeat(1_100_000);

/** Bad input on every passkey route: a clear problem+json 4xx, and a 4xx leaves no row behind. */
describe.each(backends)('bad input on the passkey routes (%s)', (backend) => {
  let app: TestApp;
  let userId: number;
  let passkeyId: string;
  const auth = new SoftAuthenticator(origin);
  let registration: Record<string, unknown>;
  let assertion: Record<string, unknown>;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
    const s = await app.signUp();
    userId = s.user.id;
    const added = await addPasskey(app, s.access_token, auth, 'Key');
    passkeyId = added.passkey.id;
    // Well-formed but stale: their challenges are used up, so a valid-shaped body still changes nothing.
    registration = added.response as unknown as Record<string, unknown>;
    assertion = auth.get({ challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }) as unknown as Record<string, unknown>;
    endpoints = [
      { method: 'GET', url: '/v1/me/passkeys', auth: 'any' },
      { method: 'POST', url: '/v1/me/passkeys/options', auth: 'session', body: () => ({ current_password: 'not the password' }) },
      { method: 'POST', url: '/v1/me/passkeys', auth: 'session', body: () => ({ response: structuredClone(registration), name: 'n' }) },
      { method: 'PATCH', url: `/v1/me/passkeys/${passkeyId}`, auth: 'session', body: () => ({ name: 'Key' }) },
      { method: 'DELETE', url: `/v1/me/passkeys/${passkeyId}`, auth: 'session', body: () => ({ current_password: 'not the password' }) },
      { method: 'POST', url: '/v1/auth/passkey', auth: 'none', body: () => ({ response: structuredClone(assertion) }) },
    ];
  });
  afterAll(async () => {
    await app?.close();
  });

  async function freshToken(): Promise<string> {
    const opened = await openSession(app.core, app.core.db, userId, { ip: '127.0.0.1', userAgent: 'test' });
    return (await tokenPair(app.core, userId, opened.sessionId, opened.refreshToken, opened)).access_token;
  }

  async function rowCounts(): Promise<string> {
    const { rows } = await sql<Record<string, unknown>>`select
      (select count(*) from passkeys) as passkeys, (select count(*) from webauthn_challenges) as challenges,
      (select count(*) from outbox) as outbox, (select count(*) from sessions where revoked_at is null) as live_sessions,
      (select name from passkeys where id = ${passkeyId}) as name`.execute(app.core.db);
    return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : v));
  }

  async function expectClean(e: Endpoint, opts: Partial<InjectOptions>, label: string, expected?: number): Promise<number> {
    const credentials = e.auth === 'none' || (opts.headers && 'authorization' in opts.headers) ? {} : { token: await freshToken() };
    const before = await rowCounts();
    const res = await app.request({ method: e.method, url: e.url, ...credentials, ...opts });
    const where = `${e.method} ${e.url} ${label}: ${res.statusCode} ${res.body.slice(0, 200)}`;
    expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, where).toBeLessThan(500);
    if (expected !== undefined) expect(res.statusCode, where).toBe(expected);
    expect(res.headers['content-type'], where).toContain('application/problem+json');
    expect(await rowCounts(), `${where} left something half-written`).toBe(before);
    return res.statusCode;
  }

  const withBody = () => endpoints.filter((e) => e.body);

  it('malformed JSON and non-object bodies → 400', async () => {
    for (const e of withBody()) {
      for (const text of malformed) await expectClean(e, rawJson(text), `malformed ${JSON.stringify(text)}`, 400);
      for (const text of notObjects) await expectClean(e, rawJson(text), `not an object ${text}`, 400);
    }
    await expectClean({ method: 'POST', url: '/v1/auth/passkey/options', auth: 'none' }, rawJson('{"a":'), 'malformed', 400);
  });

  it('wrong types, at the top and inside the WebAuthn response → 400', async () => {
    for (const e of withBody()) {
      for (const field of Object.keys(e.body!())) {
        for (const value of wrongTypes) await expectClean(e, { payload: { ...e.body!(), [field]: value } }, `${field}=${JSON.stringify(value)}`, 400);
      }
    }
    for (const e of endpoints.filter((x) => x.url === '/v1/me/passkeys' && x.method === 'POST' || x.url === '/v1/auth/passkey')) {
      const inner = Object.keys((e.body!().response as { response: object }).response);
      for (const field of [...inner.map((f) => `response.${f}`), 'id', 'rawId', 'type', 'clientExtensionResults']) {
        for (const value of [123, null, [], 'not base64url!', '']) {
          const payload = e.body!();
          const response = payload.response as Record<string, Record<string, unknown>>;
          if (field.startsWith('response.')) response.response![field.slice(9)] = value;
          else response[field] = value as never;
          const status = await expectClean(e, { payload }, `${field}=${JSON.stringify(value)}`);
          expect([400, 401], `${e.url} ${field}`).toContain(status);
        }
      }
    }
  });

  it('clientDataJSON that is not JSON, or carries no challenge → 400 on `response`', async () => {
    for (const clientData of [Buffer.from('not json').toString('base64url'), Buffer.from('{"type":"webauthn.get"}').toString('base64url'), Buffer.from('{"challenge":"a b"}').toString('base64url')]) {
      const payload = { response: { ...assertion, response: { ...(assertion.response as object), clientDataJSON: clientData } } };
      const res = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.response).toBeDefined();
    }
  });

  it('missing required fields → 400 naming them; extra fields are ignored', async () => {
    for (const e of withBody()) {
      const res = await app.request({ method: e.method, url: e.url, token: e.auth === 'none' ? undefined : await freshToken(), payload: {} });
      expect(res.statusCode, `${e.method} ${e.url}`).toBe(400);
      expect(Object.keys(res.json().errors ?? {}).length, `${e.method} ${e.url}`).toBeGreaterThan(0);
    }
    // An extra field is dropped: the request fails for its own reason (stale challenge, wrong password), not the extra.
    const res = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response: assertion, user_id: 1, is_superuser: true } });
    expect(res.statusCode).toBe(401);
  });

  it('bodies over the limit → 413; wrong content types → 415', async () => {
    for (const e of withBody()) {
      const field = Object.keys(e.body!())[0]!;
      await expectClean(e, { payload: JSON.stringify({ [field]: big }), headers: { 'content-type': 'application/json' } }, '1 MB JSON', 413);
      for (const type of ['text/plain', 'application/xml', 'application/octet-stream']) await expectClean(e, { payload: '<a/>', headers: { 'content-type': type } }, type, 415);
    }
    // Form bodies carry only strings: the nested response cannot be one.
    await expectClean(endpoints[5]!, formBody({ response: 'x' }), 'form', 400);
  });

  it('names: NUL, lone surrogates, control characters, blank and over-long → 400; odd but printable Unicode is kept', async () => {
    const rename = endpoints[3]!;
    for (const name of ['a\u0000b', '\u0007bell', '   ', '', 'x'.repeat(65)]) await expectClean(rename, { payload: { name } }, `name=${JSON.stringify(name)}`, 400);
    await expectClean(rename, rawJson('{"name": "x\\udfffy"}'), 'lone surrogate', 400);
    const ok = await app.request({ method: 'PATCH', url: rename.url, token: await freshToken(), payload: { name: '👨‍👩‍👧‍👦 Cle\u0301 𝕌' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('👨‍👩‍👧‍👦 Clé 𝕌');
  });

  it('bad ids → 400 or 404; missing, malformed and expired tokens → 401', async () => {
    for (const url of ['/v1/me/passkeys/%00', '/v1/me/passkeys/%E2%80%AE', '/v1/me/passkeys/a%20b', `/v1/me/passkeys/${'A'.repeat(300)}`]) {
      await expectClean({ method: 'PATCH', url, auth: 'session' }, { payload: { name: 'x' } }, 'odd id', 400);
      await expectClean({ method: 'DELETE', url, auth: 'session' }, { payload: { current_password: testPassword } }, 'odd id', 400);
    }
    await expectClean({ method: 'PATCH', url: '/v1/me/passkeys/AAAAAAAAAAAAAAAA', auth: 'session' }, { payload: { name: 'x' } }, 'unknown id', 404);
    for (const e of endpoints.filter((x) => x.auth !== 'none')) {
      for (const authorization of ['', 'Bearer', 'Bearer not.a.jwt', 'Bearer a b', 'Basic dXNlcjpwYXNz']) {
        await expectClean(e, { payload: e.body?.(), headers: { authorization } }, `auth ${JSON.stringify(authorization)}`, 401);
      }
    }
    const token = await freshToken();
    app.clock.advance(3600);
    for (const e of endpoints.filter((x) => x.auth !== 'none')) {
      await expectClean(e, { payload: e.body?.(), headers: { authorization: `Bearer ${token}` } }, 'expired token', 401);
    }
  });
});
