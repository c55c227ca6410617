import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';

const endpoints = ['/v1/auth/password/forgot', '/v1/auth/password/verify', '/v1/auth/password/reset', '/v1/auth/verify-email', '/v1/auth/verify-email/resend'];

describe.each(backends)('recovery endpoints refuse bad input on %s', (backend) => {
  let app: TestApp;
  let email: string;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ rate_reset_ip: 10000, rate_reset_account: 10000, rate_otp_ip: 10000, rate_otp_account: 10000 }, null);
    email = (await app.signUp()).user.email;
  });
  afterAll(async () => {
    await app?.close();
  });

  async function written() {
    const count = async (table: 'outbox' | 'one_time_codes') => Number((await app.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const hash = await app.store.db.selectFrom('users').select(['password_hash', 'email', 'email_verified']).orderBy('id').execute();
    return { outbox: await count('outbox'), codes: await count('one_time_codes'), users: JSON.stringify(hash) };
  }

  async function send(url: string, payload: string | Buffer, contentType = 'application/json') {
    return app.http.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  }

  const cases: [string, string | Buffer, string?][] = [
    ['malformed JSON', '{"email": "a@b.co",'],
    ['a JSON array', '["a@b.co"]'],
    ['a JSON string', '"a@b.co"'],
    ['null', 'null'],
    ['wrong types', JSON.stringify({ email: 42, otp: 123456, request_id: ['x'], reset_token: {}, grant: true, new_password: 12345678, token: 1, code: [] })],
    ['missing fields', '{}'],
    ['NUL bytes', JSON.stringify({ email: 'a\u0000b@example.com', otp: '12\u00003456', request_id: 'x\u0000', reset_token: 'y\u0000', new_password: 'pass\u0000word long', token: 't\u0000', code: '1\u00002' })],
    ['odd Unicode', JSON.stringify({ email: '\ud800@ex\u202eample.com', otp: '١٢٣٤٥٦', request_id: '\ufeff', reset_token: '🔑', new_password: '\u0301\u0301', token: '\udfff', code: '٠' })],
    ['over-long fields', JSON.stringify({ email: `${'a'.repeat(300)}@example.com`, otp: '1'.repeat(64), request_id: 'r'.repeat(500), reset_token: 't'.repeat(500), grant: 'g'.repeat(500), new_password: 'p'.repeat(5000), token: 'k'.repeat(500), code: '2'.repeat(64) })],
    ['a body over 1 MB', JSON.stringify({ email: 'x'.repeat(1_100_000) })],
    ['text/plain', 'email=a@b.co', 'text/plain'],
    ['an unknown content type', '<email>a@b.co</email>', 'application/xml'],
  ];

  it.each(cases)('%s → a clear 4xx on every endpoint, nothing written', async (_name, payload, contentType) => {
    const before = await written();
    for (const url of endpoints) {
      const res = await send(url, payload, contentType);
      expect(res.statusCode, `${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(typeof res.json().detail).toBe('string');
    }
    expect(await written()).toEqual(before);
  });

  it('field-level messages name the field', async () => {
    const forgot = await send('/v1/auth/password/forgot', JSON.stringify({ email: 'not-an-email' }));
    expect(forgot.json()).toMatchObject({ code: 'validation_failed', errors: { email: ['Enter a valid email address.'] } });
    const verify = await send('/v1/auth/password/verify', JSON.stringify({ request_id: 'x' }));
    expect(verify.json()).toMatchObject({ code: 'validation_failed', errors: { otp: ['This field is required.'] } });
    const reset = await send('/v1/auth/password/reset', JSON.stringify({ grant: 'x' }));
    expect(reset.json()).toMatchObject({ code: 'validation_failed', errors: { new_password: ['This field is required.'] } });
    const neither = await send('/v1/auth/password/reset', JSON.stringify({ new_password: 'a sturdy phrase 11' }));
    expect(neither.json()).toMatchObject({ code: 'validation_failed', errors: { non_field_errors: [expect.any(String)] } });
    const verifyEmail = await send('/v1/auth/verify-email', JSON.stringify({ email }));
    expect(verifyEmail.json()).toMatchObject({ code: 'validation_failed', errors: { code: ['This field is required.'] } });
  });

  it('bad and unknown tokens are 400s of their own kind', async () => {
    const bad = { request_id: 'A'.repeat(43), otp: '123456' };
    expect((await send('/v1/auth/password/verify', JSON.stringify(bad))).json().code).toBe('otp_invalid');
    expect((await send('/v1/auth/password/verify', JSON.stringify({ email, otp: '123456' }))).json().code).toBe('otp_invalid');
    expect((await send('/v1/auth/password/reset', JSON.stringify({ reset_token: 'B'.repeat(43), new_password: 'a sturdy phrase 11' }))).json().code).toBe('reset_token_invalid');
    expect((await send('/v1/auth/password/reset', JSON.stringify({ grant: 'C'.repeat(43), new_password: 'a sturdy phrase 11' }))).json().code).toBe('reset_token_invalid');
    expect((await send('/v1/auth/verify-email', JSON.stringify({ token: 'D'.repeat(43) }))).json().code).toBe('verification_token_invalid');
  });

  it('extra fields are ignored, as DRF does', async () => {
    const res = await send('/v1/auth/password/forgot', JSON.stringify({ email: 'nobody@example.com', is_staff: true, __proto__: { admin: true } }));
    expect(res.statusCode).toBe(202);
  });

  it('form-encoded bodies work like JSON', async () => {
    const res = await send('/v1/auth/password/forgot', 'email=nobody%40example.com', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(202);
  });
});
