import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { SmtpSink } from '../mail/support/smtp-sink.js';
import { codeAndToken, login, newPassword, password, post } from './support.js';

const recipient = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined);

/** The app's own outbox worker delivers to a real SMTP server started here. */
describe.each(backends)('recovery mail over real SMTP on %s', (backend) => {
  let app: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = new SmtpSink();
    await sink.up();
    app = await testApp(backend, {
      SMTP_URL: sink.url,
      GATEHOUSE_PRODUCT_NAME: 'Acme ID',
      GATEHOUSE_RESET_URL: 'https://app.acme.test/reset#token={token}',
      GATEHOUSE_VERIFY_URL: 'https://app.acme.test/verify?token={token}',
    }, { mailWorker: true, mailWorkerOptions: { notifyDelayMs: 5, pollMs: 50 } });
  });
  afterAll(async () => {
    await app?.close();
    await sink?.down();
  });

  async function nextMail(): Promise<ParsedMail> {
    await sink.waitFor(sink.received.length + 1);
    return sink.received[sink.received.length - 1]!;
  }

  it('forgot → the mail arrives → code checked → new password → login', async () => {
    const { user } = await app.signUp();
    const waiting = nextMail();
    const { request_id } = (await post(app, '/v1/auth/password/forgot', { email: user.email })).json();
    const mail = await waiting;
    expect(recipient(mail)).toBe(user.email);
    expect(mail.subject).toBe('Reset your Acme ID password');
    const code = /Your code: (\d{6})/.exec(mail.text ?? '')?.[1];
    expect(code).toBeDefined();
    expect(mail.text).toMatch(/https:\/\/app\.acme\.test\/reset#token=[A-Za-z0-9_-]{43}/);
    expect(mail.html).toContain('href="https://app.acme.test/reset#token=');

    const verified = await post(app, '/v1/auth/password/verify', { request_id, otp: code });
    expect(verified.statusCode).toBe(200);
    const notice = nextMail();
    expect((await post(app, '/v1/auth/password/reset', { grant: verified.json().grant, new_password: newPassword })).statusCode).toBe(204);
    expect((await notice).subject).toBe('Your Acme ID password was changed');
    expect((await login(app, user.email, newPassword)).statusCode).toBe(200);
    expect((await login(app, user.email, password)).statusCode).toBe(401);
  });

  it('email mode: the verification mail arrives, its link token verifies, then login works', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    try {
      const waiting = nextMail();
      const reg = await post(app, '/v1/auth/register', { username: 'smtp-verify', email: 'smtp-verify@example.com', password });
      expect(reg.json().activation_required).toBe('email_not_verified');
      const mail = await waiting;
      expect(recipient(mail)).toBe('smtp-verify@example.com');
      expect(mail.subject).toBe('Confirm your email address for Acme ID');
      const link = /https:\/\/app\.acme\.test\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
      expect(link).not.toBeNull();
      expect(codeAndToken(mail.text ?? '').code).toMatch(/^\d{6}$/);
      expect((await login(app, 'smtp-verify', password)).json().code).toBe('email_not_verified');
      expect((await post(app, '/v1/auth/verify-email', { token: link![1] })).statusCode).toBe(200);
      expect((await login(app, 'smtp-verify', password)).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ activation_mode: 'none' }, null);
    }
  });
});
