import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { updateProfile } from '../../src/core/account.js';
import { lastMail, mailCount, password, post } from '../recovery/support.js';
import { userRow } from './support.js';

describe.each(backends)('email change re-authentication on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ rate_login_ip: 10000, rate_login_account: 10000, rate_reset_ip: 10000, rate_reset_account: 10000, rate_email_change_ip: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });
  const patch = (token: string, payload: unknown, headers?: Record<string, string>) =>
    headers ? app.request({ method: 'PATCH', url: '/v1/me', headers, payload }) : app.request({ method: 'PATCH', url: '/v1/me', token, payload });

  it('attack: email change with a stolen API token', async () => {
    const { user, access_token } = await app.signUp();
    const created = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { name: 'ci', current_password: password } });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    const res = await patch('', { email: `evil-${user.id}@attacker.test`, current_password: password }, { authorization: `Token ${key}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('permission_denied');
    // Other fields still work with a token.
    expect((await patch('', { first_name: 'Tok' }, { authorization: `Token ${key}` })).statusCode).toBe(200);
  });

  it('attack: email change with a session and no password', async () => {
    const { user, access_token } = await app.signUp();
    const missing = await patch(access_token, { email: `evil-${user.id}@attacker.test` });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toHaveProperty('current_password');
    const wrong = await patch(access_token, { email: `evil-${user.id}@attacker.test`, current_password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toHaveProperty('current_password');
    expect((await patch(access_token, { first_name: 'Fine' })).statusCode).toBe(200);
    const ok = await patch(access_token, { email: `good-${user.id}@example.org`, current_password: password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().pending_email).toBe(`good-${user.id}@example.org`);
  });

  it('attack: email changes are not rate limited', async () => {
    const { user, access_token } = await app.signUp();
    const before = await mailCount(app, 'email_verification');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await patch(access_token, { email: `spam-${user.id}-${i}@outside.test`, current_password: password })).statusCode);
    expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
    expect(codes.slice(3)).toEqual([429, 429, 429]);
    expect((await mailCount(app, 'email_verification')) - before).toBeLessThanOrEqual(3);
  });

  it('attack: a reset link to the old address still works after a direct email change', async () => {
    const { user } = await app.signUp();
    expect((await post(app, '/v1/auth/password/forgot', { email: user.email })).statusCode).toBeLessThan(300);
    const { token } = await lastMail(app, user.email);
    const next = `direct-${user.id}@example.org`;
    // The profile of seeds jwt-otp / jwt-uuid-refresh: the email is replaced at once.
    await updateProfile(app.core, user.id, { email: next }, { emailChange: 'direct' }, { ip: '127.0.0.1', userAgent: 'test' } as never);
    const notice = await app.store.db.selectFrom('outbox').selectAll().where('to_addr', '=', user.email).where('kind', '=', 'email_change_notice').executeTakeFirstOrThrow();
    expect(notice.text_body).not.toContain(next);
    expect(notice.text_body).toContain('d***@e***.org');
    const reset = await post(app, '/v1/auth/password/reset', { reset_token: token, new_password: 'another sturdy phrase 77' });
    expect(reset.statusCode).toBe(400);
  });
  it('refuses a bad or wrong current_password with a field error and changes nothing, mails nothing', async () => {
    const { user, access_token } = await app.signUp();
    const cases: [string, unknown, string][] = [
      ['missing', undefined, 'validation_failed'],
      ['empty', '', 'validation_failed'],
      ['a number', 12345678, 'validation_failed'],
      ['an object', { $ne: '' }, 'validation_failed'],
      ['an array', [password], 'validation_failed'],
      ['null', null, 'validation_failed'],
      ['oversized', 'x'.repeat(4097), 'validation_failed'],
      ['a NUL byte', `${password}\u0000`, 'wrong_password'],
      ['wrong', 'not the password at all', 'wrong_password'],
      ['the password with a space', ` ${password}`, 'wrong_password'],
    ];
    const mailsBefore = await mailCount(app);
    for (const change of [{ email: `bad-${user.id}@example.org` }, { username: `renamed_${user.id}` }, { email: `both-${user.id}@example.org`, username: `both_${user.id}` }]) {
      for (const [label, current_password, code] of cases) {
        const payload = current_password === undefined ? change : { ...change, current_password };
        const res = await patch(access_token, payload);
        expect(res.statusCode, `${label} ${JSON.stringify(change)}`).toBe(400);
        expect(res.json().code, label).toBe(code);
        expect(res.json().errors, label).toHaveProperty('current_password');
      }
    }
    const row = await userRow(app, user.id);
    expect(row).toMatchObject({ email: user.email, username: user.username, pending_email: null });
    expect(await mailCount(app), 'no verification mail, no notice').toBe(mailsBefore);
    // Failed confirmations do not use up the email-change budget.
    expect((await patch(access_token, { email: `fine-${user.id}@example.org`, current_password: password })).statusCode).toBe(200);
  });

  it('an API token may not change the username either, even with the password; other fields still change', async () => {
    const { user, access_token } = await app.signUp();
    const key = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { current_password: password } })).json().key as string;
    const res = await patch('', { username: `tok_${user.id}`, current_password: password }, { authorization: `Token ${key}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('permission_denied');
    // Refused before the uniqueness check: a stolen token learns nothing about other accounts.
    const other = await app.signUp();
    const probe = await patch('', { email: other.user.email }, { authorization: `Token ${key}` });
    expect(probe.statusCode).toBe(403);
    expect((await userRow(app, user.id))).toMatchObject({ username: user.username, email: user.email, pending_email: null });
    // Same name and same email are no change: no password needed.
    expect((await patch(access_token, { username: user.username, email: user.email, first_name: 'Same' })).statusCode).toBe(200);
  });

  it('a session without the password cannot probe which addresses are taken', async () => {
    const { access_token } = await app.signUp();
    const other = await app.signUp();
    const res = await patch(access_token, { email: other.user.email });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual({ current_password: ['This field is required.'] });
    const wrong = await patch(access_token, { email: other.user.email, current_password: 'not the password' });
    expect(wrong.json().errors).toEqual({ current_password: ['Wrong password.'] });
  });
  it('attack: a stolen session guesses current_password without limit', async () => {
    const { user, access_token } = await app.signUp();
    await app.core.settings.update({ rate_login_account: 5 }, null);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await patch(access_token, { email: `guess-${user.id}@attacker.test`, current_password: `guess ${i}` })).statusCode);
      expect(codes).toEqual([400, 400, 400, 400, 400, 429]);
      // The budget is the account's, whichever route spends it: API tokens and password change too.
      expect((await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { current_password: password } })).statusCode).toBe(429);
      expect((await app.request({ method: 'PUT', url: '/v1/me/password', token: access_token, payload: { old_password: password, new_password: 'taken over by mallory 9' } })).statusCode).toBe(429);
      expect(await userRow(app, user.id)).toMatchObject({ email: user.email, pending_email: null });
    } finally {
      await app.core.settings.update({ rate_login_account: 10000 }, null);
    }
  });
});
