import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

const meta = { ip: '127.0.0.1', userAgent: 'test' };
/** The client side: a real TOTP computation, as an authenticator app does it. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

/** The native login's second step over HTTP: 401 mfa_required with an mfa_token, then POST /v1/auth/mfa/verify. */
describe.each(backends)('the mfa_token login step over the API on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function enrolled() {
    const { user } = await app.signUp();
    const { secret } = await startTotpEnrolment(app.core, user.id, { current_password: testPassword }, meta);
    const { recoveryCodes } = await confirmTotpEnrolment(app.core, user.id, { code: codeAt(secret, app.clock.now()) }, meta);
    app.clock.advance(90);
    return { user, secret, recoveryCodes };
  }
  const loginAs = (user: { email: string }) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.email, password: testPassword } });
  const verify = (payload: unknown) => app.request({ method: 'POST', url: '/v1/auth/mfa/verify', payload: payload as Record<string, unknown> });

  it('a right password answers 401 mfa_required with an mfa_token; a TOTP code finishes the login with amr, kept after refresh', async () => {
    const { user, secret } = await enrolled();
    const first = await loginAs(user);
    expect(first.statusCode).toBe(401);
    const problem = first.json();
    expect(problem.type).toContain('mfa_required');
    expect(problem.factors).toEqual(['totp', 'recovery_code']);
    expect(problem.expires_in).toBe(300);
    expect(problem.access_token).toBeUndefined();
    const done = await verify({ mfa_token: problem.mfa_token, code: codeAt(secret, app.clock.now()) });
    expect(done.statusCode).toBe(200);
    const body = done.json();
    expect(body.user.id).toBe(user.id);
    expect(decodeJwt(body.access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    const refreshed = await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: body.refresh_token } });
    expect(refreshed.statusCode).toBe(200);
    expect(decodeJwt(refreshed.json().access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    // Redeemed once: the same token again is refused.
    const again = await verify({ mfa_token: problem.mfa_token, code: codeAt(secret, app.clock.now() + 30_000) });
    expect(again.statusCode).toBe(401);
    expect(again.json().type).toContain('mfa_token_invalid');
  });

  it('a password-only account still gets amr pwd', async () => {
    const { user } = await app.signUp();
    const res = await loginAs(user);
    expect(res.statusCode).toBe(200);
    expect(decodeJwt(res.json().access_token).amr).toEqual(['pwd']);
  });

  it('race: 10 parallel verifies of one mfa_token with distinct recovery codes open exactly one session', async () => {
    const { user, recoveryCodes } = await enrolled();
    const { mfa_token } = (await loginAs(user)).json();
    const results = await Promise.all(recoveryCodes.map((recovery_code) => verify({ mfa_token, recovery_code })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 401)).toBe(true);
  });

  it('a wrong code is invalid_mfa_code and counts toward the account lock; an expired token is mfa_token_invalid', async () => {
    const { user, secret } = await enrolled();
    const { mfa_token } = (await loginAs(user)).json();
    const wrong = await verify({ mfa_token, code: codeAt(secret, app.clock.now() + 120_000) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().type).toContain('invalid_mfa_code');
    const row = await app.core.db.selectFrom('users').select('failed_logins').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(1);
    app.clock.advance(301);
    const late = await verify({ mfa_token, code: codeAt(secret, app.clock.now()) });
    expect(late.statusCode).toBe(401);
    expect(late.json().type).toContain('mfa_token_invalid');
  });

  it('bad input: missing, both, wrong types, oversized, malformed JSON, wrong content type, unknown token', async () => {
    const cases: unknown[] = [{}, { code: '123456' }, { mfa_token: 'x' }, { mfa_token: 'x', code: '123456', recovery_code: 'abcd' }, { mfa_token: 1, code: '123456' }, { mfa_token: 'x', code: 123456 }, { mfa_token: 'x'.repeat(129), code: '123456' }, { mfa_token: 'x', code: '1'.repeat(17) }];
    for (const payload of cases) {
      const res = await verify(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    // Extra fields are dropped (as everywhere in the native API), not refused.
    const extra = await verify({ mfa_token: 'x', code: '123456', extra: 1 });
    expect(extra.statusCode).toBe(401);
    const unknown = await verify({ mfa_token: 'nope\u202e', code: '123456' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().type).toContain('mfa_token_invalid');
    const malformed = await app.request({ method: 'POST', url: '/v1/auth/mfa/verify', headers: { 'content-type': 'application/json' }, payload: '{"mfa_token":' });
    expect(malformed.statusCode).toBe(400);
    const text = await app.request({ method: 'POST', url: '/v1/auth/mfa/verify', headers: { 'content-type': 'text/plain' }, payload: 'mfa_token=x' });
    expect(text.statusCode).toBe(415);
  });
});
