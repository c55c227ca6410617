import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { expectProblem, lastMail, login, password, post } from './support.js';

describe.each(backends)('email change on PATCH /v1/me on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ rate_login_ip: 10000, rate_login_account: 10000, rate_otp_ip: 10000, rate_otp_account: 10000, rate_reset_ip: 10000, rate_reset_account: 10000, rate_email_change_ip: 10000, rate_email_change_account: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  const patchEmail = (token: string, email: string) => app.request({ method: 'PATCH', url: '/v1/me', token, payload: { email, current_password: password } });

  it('keeps the new address pending until verified, tells the old one, then switches', async () => {
    const { user, access_token } = await app.signUp();
    const next = `moved-${user.id}@example.org`;
    const res = await patchEmail(access_token, next);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: user.email, pending_email: next });

    const notice = await app.store.db.selectFrom('outbox').selectAll().where('to_addr', '=', user.email).where('kind', '=', 'email_change_notice').executeTakeFirstOrThrow();
    // The old address is told, but not handed the new one.
    expect(notice.text_body).not.toContain(next);
    expect(notice.text_body).toContain('m***@e***.org');
    const { token } = await lastMail(app, next, 'email_verification');
    // Until then the old address still logs in and the new one does not.
    expect((await login(app, user.email, password)).statusCode).toBe(200);
    expect((await login(app, next, password)).statusCode).toBe(401);

    const verified = await post(app, '/v1/auth/verify-email', { token });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ email: next, email_verified: true });
    const me = (await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json();
    expect(me).toMatchObject({ email: next, pending_email: null, email_verified: true });
    expect((await login(app, next, password)).statusCode).toBe(200);
    expect((await login(app, user.email, password)).statusCode).toBe(401);
  });

  it('the new address can be confirmed with its code', async () => {
    const { user, access_token } = await app.signUp();
    const next = `coded-${user.id}@example.org`;
    await patchEmail(access_token, next);
    const { code } = await lastMail(app, next, 'email_verification');
    expect((await post(app, '/v1/auth/verify-email', { email: next, code })).statusCode).toBe(200);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json().email).toBe(next);
  });

  it('refuses the switch when another account took the address meanwhile', async () => {
    const { user, access_token } = await app.signUp();
    const next = `contested-${user.id}@example.org`;
    await patchEmail(access_token, next);
    const { token } = await lastMail(app, next, 'email_verification');
    await app.signUp({ email: next });
    const res = await post(app, '/v1/auth/verify-email', { token });
    expectProblem(res, 409, 'conflict');
    expect(res.json().errors).toEqual({ email: ['user with this email already exists.'] });
    const me = (await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json();
    expect(me).toMatchObject({ email: user.email, pending_email: null });
    // The dead code stays dead.
    expectProblem(await post(app, '/v1/auth/verify-email', { token }), 400, 'verification_token_invalid');
  });

  it('a newer change supersedes the pending one; a reset mailed to the old address dies with the switch', async () => {
    const { user, access_token } = await app.signUp();
    await post(app, '/v1/auth/password/forgot', { email: user.email });
    const reset = await lastMail(app, user.email, 'password_reset');
    await patchEmail(access_token, `first-${user.id}@example.org`);
    const first = await lastMail(app, `first-${user.id}@example.org`, 'email_verification');
    await patchEmail(access_token, `second-${user.id}@example.org`);
    const second = await lastMail(app, `second-${user.id}@example.org`, 'email_verification');
    expectProblem(await post(app, '/v1/auth/verify-email', { token: first.token }), 400, 'verification_token_invalid');
    expect((await post(app, '/v1/auth/verify-email', { token: second.token })).json().email).toBe(`second-${user.id}@example.org`);
    expectProblem(await post(app, '/v1/auth/password/reset', { reset_token: reset.token, new_password: 'a brand new phrase 17' }), 400, 'reset_token_invalid');
  });

  it('still refuses at once an address another account already uses', async () => {
    const { access_token } = await app.signUp();
    const { user: other } = await app.signUp();
    const res = await patchEmail(access_token, other.email.toUpperCase());
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors.email).toBeDefined();
  });
});
