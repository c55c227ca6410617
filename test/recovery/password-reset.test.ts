import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPasswordWithProof, verifyPasswordResetCode } from '../../src/core/recovery/index.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { auditKinds, expectProblem, lastMail, login, mailCount, newPassword, password, post, wrongCode } from './support.js';

const meta = { ip: '198.51.100.7', userAgent: 'test' };

describe.each(backends)('password reset on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    // Generous limits: these tests are about codes; rate limits have their own test.
    await app.core.settings.update({ rate_reset_ip: 10000, rate_reset_account: 10000, rate_otp_ip: 10000, rate_otp_account: 10000, rate_login_ip: 10000, rate_login_account: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function forgot(email: string) {
    const res = await post(app, '/v1/auth/password/forgot', { email });
    expect(res.statusCode).toBe(202);
    return res.json() as { detail: string; request_id: string };
  }

  async function userWithRequest() {
    const { user, access_token } = await app.signUp();
    const { request_id } = await forgot(user.email);
    const mail = await lastMail(app, user.email);
    return { user, access_token, request_id, ...mail };
  }

  it('mails a code and a link; code → grant → new password; sessions end, audited, notice mailed', async () => {
    const { user, access_token, request_id, code, token, row } = await userWithRequest();
    expect(row.subject).toBe('Reset your Gatehouse password');
    expect(code).toMatch(/^\d{6}$/);
    expect(row.text_body).toContain(`/reset-password?token=${token}`);
    expect(row.text_body).toContain('10 minutes');

    // Nothing usable is stored: the handle, code and link token appear only as keyed hashes.
    const stored = await app.store.db.selectFrom('one_time_codes').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    const text = JSON.stringify(stored);
    for (const secret of [request_id, code, token]) expect(text).not.toContain(secret);

    const verified = await post(app, '/v1/auth/password/verify', { request_id, otp: code });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ grant: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expires_in: 600 });
    const reset = await post(app, '/v1/auth/password/reset', { grant: verified.json().grant, new_password: newPassword });
    expect(reset.statusCode).toBe(204);

    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(401);
    expectProblem(await login(app, user.email, password), 401, 'invalid_credentials');
    expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
    expect(await auditKinds(app, user.id)).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset']));
    const notice = await app.store.db.selectFrom('outbox').select('subject').where('to_addr', '=', user.email).where('kind', '=', 'password_changed').executeTakeFirst();
    expect(notice?.subject).toMatch(/password/i);
    expect(app.logs.join('')).not.toContain(code);
  });

  it('the link token alone resets the password, once', async () => {
    const { user, token } = await userWithRequest();
    expect((await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: newPassword })).statusCode).toBe(204);
    expectProblem(await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: 'yet another phrase 99' }), 400, 'reset_token_invalid');
    expect((await login(app, user.username, newPassword)).statusCode).toBe(200);
  });

  it('known, unknown and disabled addresses get identical answers, and only the known one a mail', async () => {
    const { user } = await app.signUp();
    const { user: disabled } = await app.signUp();
    await app.store.db.updateTable('users').set({ is_active: 0 }).where('id', '=', disabled.id).execute();
    const before = await mailCount(app);
    const answers = [];
    for (const email of [user.email, 'nobody-here@example.com', disabled.email]) {
      const res = await post(app, '/v1/auth/password/forgot', { email });
      answers.push({ status: res.statusCode, type: res.headers['content-type'], body: { ...res.json(), request_id: res.json().request_id.replace(/[A-Za-z0-9_-]/g, 'x') } });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await mailCount(app)).toBe(before + 1);
  });

  it('guesses against a decoy are answered exactly like guesses against a real request', async () => {
    const { user } = await app.signUp();
    const stranger = 'no-such-account@example.com';
    const max = app.core.settings.get('otp_max_attempts');
    for (const by of ['request_id', 'email'] as const) {
      const real = await forgot(user.email);
      const decoy = await forgot(stranger);
      const otp = wrongCode((await lastMail(app, user.email)).code);
      for (let i = 1; i <= max + 1; i++) {
        const r = await post(app, '/v1/auth/password/verify', by === 'email' ? { email: user.email, otp } : { request_id: real.request_id, otp });
        const d = await post(app, '/v1/auth/password/verify', by === 'email' ? { email: stranger, otp } : { request_id: decoy.request_id, otp });
        expect({ status: d.statusCode, body: d.json() }).toEqual({ status: r.statusCode, body: r.json() });
        expect(r.json().code).toBe(i < max ? 'otp_invalid' : 'otp_attempts_exceeded');
      }
    }
    // Expiry looks the same too.
    const real = await forgot(user.email);
    const decoy = await forgot(stranger);
    app.clock.advance(601);
    const re = await post(app, '/v1/auth/password/verify', { request_id: real.request_id, otp: '123456' });
    const de = await post(app, '/v1/auth/password/verify', { request_id: decoy.request_id, otp: '123456' });
    expectProblem(re, 400, 'otp_expired');
    expect(de.json()).toEqual(re.json());
  });

  it('the sixth guess fails even with the right code (by request id and by email)', async () => {
    for (const by of ['request_id', 'email'] as const) {
      const { user, request_id, code } = await userWithRequest();
      const named = by === 'request_id' ? { request_id } : { email: user.email.toUpperCase() };
      for (let i = 1; i <= 4; i++) expectProblem(await post(app, '/v1/auth/password/verify', { ...named, otp: wrongCode(code) }), 400, 'otp_invalid');
      expectProblem(await post(app, '/v1/auth/password/verify', { ...named, otp: wrongCode(code) }), 400, 'otp_attempts_exceeded');
      expectProblem(await post(app, '/v1/auth/password/verify', { ...named, otp: code }), 400, 'otp_attempts_exceeded');
      const row = await app.store.db.selectFrom('one_time_codes').select('attempts').where('user_id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.attempts).toBe(5);
    }
  });

  it('concurrent guesses never exceed the attempt limit', async () => {
    const { request_id, code, user } = await userWithRequest();
    const results = await Promise.all(Array.from({ length: 12 }, () => post(app, '/v1/auth/password/verify', { request_id, otp: wrongCode(code) })));
    expect(results.every((r) => r.statusCode === 400)).toBe(true);
    const row = await app.store.db.selectFrom('one_time_codes').select('attempts').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(5);
    expectProblem(await post(app, '/v1/auth/password/verify', { request_id, otp: code }), 400, 'otp_attempts_exceeded');
  });

  it('an expired code, link or grant fails (clock moved, no sleeping)', async () => {
    const first = await userWithRequest();
    app.clock.advance(601);
    expectProblem(await post(app, '/v1/auth/password/verify', { request_id: first.request_id, otp: first.code }), 400, 'otp_expired');
    expectProblem(await post(app, '/v1/auth/password/reset', { reset_token: first.token, new_password: newPassword }), 400, 'reset_token_invalid');

    const second = await userWithRequest();
    const { grant } = (await post(app, '/v1/auth/password/verify', { request_id: second.request_id, otp: second.code })).json();
    app.clock.advance(601);
    expectProblem(await post(app, '/v1/auth/password/reset', { grant, new_password: newPassword }), 400, 'reset_token_invalid');
  });

  it('a used code, grant or link cannot be used again', async () => {
    const { request_id, code, token } = await userWithRequest();
    const { grant } = (await post(app, '/v1/auth/password/verify', { request_id, otp: code })).json();
    expectProblem(await post(app, '/v1/auth/password/verify', { request_id, otp: code }), 400, 'otp_invalid');
    expect((await post(app, '/v1/auth/password/reset', { grant, new_password: newPassword })).statusCode).toBe(204);
    expectProblem(await post(app, '/v1/auth/password/reset', { grant, new_password: 'third sturdy phrase 31' }), 400, 'reset_token_invalid');
    expectProblem(await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: 'third sturdy phrase 31' }), 400, 'reset_token_invalid');
    expectProblem(await post(app, '/v1/auth/password/verify', { request_id, otp: code }), 400, 'otp_invalid');
  });

  it('two requests in flight: only the latest works', async () => {
    const { user } = await app.signUp();
    const older = await forgot(user.email);
    const olderMail = await lastMail(app, user.email);
    const newer = await forgot(user.email);
    const newerMail = await lastMail(app, user.email);
    expect(newerMail.code === olderMail.code && newerMail.token === olderMail.token).toBe(false);
    expectProblem(await post(app, '/v1/auth/password/verify', { request_id: older.request_id, otp: olderMail.code }), 400, 'otp_invalid');
    expectProblem(await post(app, '/v1/auth/password/reset', { reset_token: olderMail.token, new_password: newPassword }), 400, 'reset_token_invalid');
    if (olderMail.code !== newerMail.code) expectProblem(await post(app, '/v1/auth/password/verify', { email: user.email, otp: olderMail.code }), 400, 'otp_invalid');
    expect((await post(app, '/v1/auth/password/verify', { request_id: newer.request_id, otp: newerMail.code })).statusCode).toBe(200);
  });

  it('a weak new password is refused on new_password and leaves the request usable', async () => {
    const { token, user } = await userWithRequest();
    const weak = await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: 'password' });
    expectProblem(weak, 400, 'validation_failed');
    expect(Object.keys(weak.json().errors)).toEqual(['new_password']);
    expect((await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: newPassword })).statusCode).toBe(204);
    expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
  });

  it('a locked-out account recovers by reset', async () => {
    await app.core.settings.update({ lockout_threshold: 3 }, null);
    try {
      const { user, token } = await userWithRequest();
      for (let i = 0; i < 3; i++) await login(app, user.email, 'wrong password here');
      expectProblem(await login(app, user.email, password), 401, 'invalid_credentials');
      expect((await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: newPassword })).statusCode).toBe(204);
      expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ lockout_threshold: 10 }, null);
    }
  });

  it('the request handle resets only after its code is verified (the seed-002 flow)', async () => {
    const { user, request_id, code } = await userWithRequest();
    await expect(resetPasswordWithProof(app.core, { requestId: request_id, newPassword }, meta)).rejects.toMatchObject({ code: 'reset_token_invalid' });
    await verifyPasswordResetCode(app.core, { requestId: request_id, otp: code }, meta);
    await resetPasswordWithProof(app.core, { requestId: request_id, newPassword }, meta);
    expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
    await expect(resetPasswordWithProof(app.core, { requestId: request_id, newPassword: 'yet another phrase 99' }, meta)).rejects.toMatchObject({ code: 'reset_token_invalid' });
  });

  it('a reset through the mailed proof marks an unverified address verified', async () => {
    const { user, token } = await userWithRequest();
    expect(user.email_verified).toBe(false);
    await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: newPassword });
    const row = await app.store.db.selectFrom('users').select('email_verified').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.email_verified).toBe(1);
  });

  it('codes honour otp_length', async () => {
    await app.core.settings.update({ otp_length: 8 }, null);
    try {
      const { code } = await userWithRequest();
      expect(code).toMatch(/^\d{8}$/);
    } finally {
      await app.core.settings.update({ otp_length: 6 }, null);
    }
  });
});
