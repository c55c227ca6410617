import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { lastMail, login, newPassword, post } from './support.js';
import { testPassword } from '../support/passwords.js';

/** The pages the default mail links open, so a fresh install works without a front end. */
describe.each(backends)('reset and verify pages on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  const form = (url: string, fields: Record<string, string>) =>
    app.http.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('the mailed link opens a form that sets the password; the token never leaks via Referer', async () => {
    const { user } = await app.signUp();
    await post(app, '/v1/auth/password/forgot', { email: user.email });
    const { row, token } = await lastMail(app, user.email);
    const link = /(http\S+reset-password\?token=\S+)/.exec(row.text_body)![1]!;
    const page = await app.http.inject({ method: 'GET', url: new URL(link).pathname + new URL(link).search });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain(`name="token" value="${token}"`);

    const weak = await form('/reset-password', { token, new_password: 'password' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('This password is too common.');
    const done = await form('/reset-password', { token, new_password: newPassword });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Password changed');
    expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
    const again = await form('/reset-password', { token, new_password: 'yet another phrase 99' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('reset token is invalid');
  });

  it('opening the verification link changes nothing; the button confirms', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    try {
      const { user } = await app.signUp();
      const { token } = await lastMail(app, user.email, 'email_verification');
      expect((await app.http.inject({ method: 'GET', url: `/verify-email?token=${token}` })).statusCode).toBe(200);
      expect((await login(app, user.email, testPassword)).json().code).toBe('email_not_verified');
      const done = await form('/verify-email', { token });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('is confirmed');
      expect((await login(app, user.email, testPassword)).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ activation_mode: 'none' }, null);
    }
  });

  it('escapes what it echoes and answers bad input with a 4xx page', async () => {
    const evil = '"><script>alert(1)</script>';
    const page = await app.http.inject({ method: 'GET', url: `/reset-password?token=${encodeURIComponent(evil)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>');
    for (const [url, payload, type] of [
      ['/reset-password', 'token=x', 'application/x-www-form-urlencoded'],
      ['/reset-password', `token=${'x'.repeat(500)}&new_password=y`, 'application/x-www-form-urlencoded'],
      ['/verify-email', '{"token": ', 'application/json'],
      ['/verify-email', 'token=%00', 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await app.http.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
      expect(res.statusCode, `${url} ${payload}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    const long = await app.http.inject({ method: 'GET', url: `/verify-email?token=${'x'.repeat(300)}` });
    expect(long.statusCode).toBe(400);
  });
});
