import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, tokenPair } from '../../src/core/sessions.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { formBody, rawJson } from '../support/multipart.js';
import { testPassword } from '../support/passwords.js';
import { expectProblem } from '../recovery/support.js';
import { enrolTotp, wire, type Wire, type WireOptions } from './totp-support.js';

interface Endpoint {
  method: string;
  url: string;
  /** A well-shaped body that still changes nothing (a wrong password, an app already confirmed). */
  body?: () => Record<string, unknown>;
}

const wrongTypes: unknown[] = [123, 1.5, true, null, [], ['a'], {}, { $ne: '' }];
const malformed = ['{"a":', "{'a': 1}", '[1, 2', '{"a": 1}}', 'nul', '\u0000', '{"a": 01}'];
const notObjects = ['null', '[]', '"text"', '42', 'true'];

const endpoints: Endpoint[] = [
  { method: 'GET', url: '/v1/me/mfa' },
  { method: 'POST', url: '/v1/me/mfa/totp', body: () => ({ current_password: 'not the password' }) },
  { method: 'POST', url: '/v1/me/mfa/totp/confirm', body: () => ({ code: '123456' }) },
  { method: 'DELETE', url: '/v1/me/mfa/totp', body: () => ({ current_password: 'not the password', code: '123456' }) },
  { method: 'POST', url: '/v1/me/mfa/recovery-codes', body: () => ({ current_password: 'not the password' }) },
];
const withBody = endpoints.filter((e) => e.body);

/** Bad input on every authenticator-app route, over a real socket: a clear problem+json 4xx, and nothing half-written. */
describe.each(backends)('bad input on the authenticator app routes (%s)', (backend) => {
  let app: TestApp;
  let send: Wire;
  let userId: number;

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    send = wire(await app.http.listen({ port: 0, host: '127.0.0.1' }));
    const s = await app.signUp();
    userId = s.user.id;
    await enrolTotp(app, send, s.access_token);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function freshToken(): Promise<string> {
    const opened = await openSession(app.core, app.core.db, userId, { ip: '127.0.0.1', userAgent: 'test' });
    return (await tokenPair(app.core, userId, opened.sessionId, opened.refreshToken, opened)).access_token;
  }

  /** Everything these routes can write: the secrets, the recovery codes, the mail. */
  async function snapshot(): Promise<string> {
    const db = app.store.db;
    const totp = await db.selectFrom('totp_factors').select(['user_id', 'secret_enc', 'confirmed_at', 'last_step']).orderBy('user_id').execute();
    const codes = await db.selectFrom('recovery_codes').select(['code_hash', 'used_at']).orderBy('code_hash').execute();
    const outbox = await db.selectFrom('outbox').select('id').orderBy('id').execute();
    return JSON.stringify({ totp, codes, outbox }, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  }

  async function expectClean(e: Endpoint, opts: WireOptions, label: string, expected?: number): Promise<number> {
    const credentials = opts.headers && 'authorization' in opts.headers ? {} : { token: await freshToken() };
    const before = await snapshot();
    const res = await send(e.method, e.url, { ...credentials, ...opts });
    const where = `${e.method} ${e.url} ${label}: ${res.statusCode} ${res.body.slice(0, 200)}`;
    expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, where).toBeLessThan(500);
    if (expected !== undefined) expect(res.statusCode, where).toBe(expected);
    expect(res.headers['content-type'], where).toContain('application/problem+json');
    expect(await snapshot(), `${where} left something half-written`).toBe(before);
    return res.statusCode;
  }

  it('malformed JSON and non-object bodies → 400', async () => {
    for (const e of withBody) {
      for (const text of malformed) await expectClean(e, rawJson(text), `malformed ${JSON.stringify(text)}`, 400);
      for (const text of notObjects) await expectClean(e, rawJson(text), `not an object ${text}`, 400);
    }
  });

  it('wrong types → 400 naming the field', async () => {
    for (const e of withBody) {
      for (const field of Object.keys(e.body!())) {
        for (const value of wrongTypes) await expectClean(e, { payload: { ...e.body!(), [field]: value } }, `${field}=${JSON.stringify(value)}`, 400);
      }
    }
  });

  it('missing fields → 400 naming them; extra fields are dropped, never used', async () => {
    for (const e of withBody) {
      const res = await send(e.method, e.url, { token: await freshToken(), payload: {} });
      expectProblem(res, 400, 'validation_failed');
      expect(Object.keys(res.json().errors ?? {}).length, `${e.method} ${e.url}`).toBeGreaterThan(0);
    }
    const partial = await send('DELETE', '/v1/me/mfa/totp', { token: await freshToken(), payload: { current_password: testPassword } });
    expectProblem(partial, 400, 'validation_failed');
    expect(Object.keys(partial.json().errors)).toEqual(['code']);
    // A body that tries to choose the secret or the codes: the extras are dropped, it fails for its own reason.
    await expectClean(withBody[3]!, { payload: { ...withBody[3]!.body!(), recovery_codes: ['aaaa-aaaa-aaaa'], user_id: 1 } }, 'extras', 400);
    const other = await app.signUp();
    const started = await send('POST', '/v1/me/mfa/totp', { token: other.access_token, payload: { current_password: testPassword, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', user_id: userId } });
    expect(started.statusCode).toBe(200);
    expect(started.json().secret).not.toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('oversized and odd strings → 400; bodies over the limit → 413; wrong content types → 415', async () => {
    const [password, confirm, remove, regenerate] = withBody as [Endpoint, Endpoint, Endpoint, Endpoint];
    await expectClean(password, { payload: { current_password: 'x'.repeat(4097) } }, 'long password', 400);
    await expectClean(remove, { payload: { current_password: testPassword, code: '1'.repeat(17) } }, 'long code', 400);
    for (const code of ['12345\u0000', '١٢٣٤٥٦', '123\u202e456', '', '      ', '-12345']) {
      await expectClean(remove, { payload: { current_password: testPassword, code } }, `code ${JSON.stringify(code)}`, 400);
    }
    await expectClean(remove, rawJson('{"current_password": "x\\udfffy", "code": "123456"}'), 'lone surrogate', 400);
    await expectClean(confirm, { payload: { code: '1'.repeat(17) } }, 'long code', 400);
    for (const e of withBody) {
      const field = Object.keys(e.body!())[0]!;
      await expectClean(e, rawJson(JSON.stringify({ [field]: 'x'.repeat(1_100_000) })), '1 MB JSON', 413);
      for (const type of ['text/plain', 'application/xml', 'application/octet-stream']) await expectClean(e, { payload: '<a/>', headers: { 'content-type': type } }, type, 415);
    }
    // A form body is a body like any other: its strings go through the same checks.
    await expectClean(regenerate, formBody({ current_password: 'not the password' }), 'form', 400);
  });

  it('missing, malformed and expired tokens → 401', async () => {
    for (const e of endpoints) {
      for (const authorization of ['', 'Bearer', 'Bearer not.a.jwt', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'Token nope']) {
        await expectClean(e, { payload: e.body?.(), headers: { authorization } }, `auth ${JSON.stringify(authorization)}`, 401);
      }
      // An enrolment token that was never issued: 401 where enrolment tokens are taken, else refused for its kind before it is looked up.
      const enrolment = e.method === 'GET' || e.url.endsWith('/totp') && e.method === 'POST' || e.url.endsWith('/confirm');
      await expectClean(e, { payload: e.body?.(), headers: { authorization: `Bearer ghe_${'A'.repeat(43)}` } }, 'unknown enrolment token', enrolment ? 401 : 403);
    }
    const token = await freshToken();
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    for (const e of endpoints) await expectClean(e, { payload: e.body?.(), headers: { authorization: `Bearer ${token}` } }, 'expired token', 401);
  });
});
