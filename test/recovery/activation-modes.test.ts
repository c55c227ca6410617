import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateUser } from '../../src/core/recovery/index.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { auditKinds, expectProblem, lastMail, login, mailCount, password, post } from './support.js';

const meta = { ip: '203.0.113.9', userAgent: 'console' };
const modes = ['none', 'email', 'admin', 'email+admin'] as const;

describe.each(backends)('activation modes on %s', (backend) => {
  let app: TestApp;
  let n = 0;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ rate_login_ip: 10000, rate_login_account: 10000, rate_otp_ip: 10000, rate_otp_account: 10000, rate_reset_ip: 10000, rate_reset_account: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function register() {
    const name = `mode${++n}`;
    const res = await post(app, '/v1/auth/register', { username: name, email: `${name}@example.com`, password });
    expect(res.statusCode).toBe(201);
    return { ...res.json(), name, email: `${name}@example.com` };
  }

  it.each(modes)('mode %s: register → login outcome → verify/activate → login', async (mode) => {
    await app.core.settings.update({ activation_mode: mode }, null);
    const needsEmail = mode.includes('email');
    const needsAdmin = mode.includes('admin');
    const before = await mailCount(app, 'email_verification');
    const reg = await register();
    // Tokens only when the account may log in at once.
    expect(reg.access_token !== undefined).toBe(mode === 'none');
    expect(await mailCount(app, 'email_verification')).toBe(before + (needsEmail ? 1 : 0));

    const first = await login(app, reg.name, password);
    if (mode === 'none') expect(first.statusCode).toBe(200);
    else if (needsAdmin) {
      // Approval is checked first, with the seed-002 message.
      expectProblem(first, 403, 'account_not_approved');
      expect(first.json().detail).toBe('the user is not activated');
      expect(reg.activation_required).toBe('account_not_approved');
    } else expectProblem(first, 403, 'email_not_verified');

    if (needsAdmin) {
      await activateUser(app.core, reg.user.id, null, meta);
      const after = await login(app, reg.name, password);
      if (needsEmail) expectProblem(after, 403, 'email_not_verified');
      else expect(after.statusCode).toBe(200);
    }
    if (needsEmail) {
      const { code } = await lastMail(app, reg.email, 'email_verification');
      const verified = await post(app, '/v1/auth/verify-email', { email: reg.email, code });
      expect(verified.statusCode).toBe(200);
      expect(verified.json()).toEqual({ detail: 'Email address verified.', email: reg.email, email_verified: true, activation_required: null });
    }
    expect((await login(app, reg.name, password)).statusCode).toBe(200);
  });

  it('modes that verify email refuse a sign-up without an address', async () => {
    for (const mode of ['email', 'email+admin'] as const) {
      await app.core.settings.update({ activation_mode: mode }, null);
      const res = await post(app, '/v1/auth/register', { username: `noaddr${++n}`, password });
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors.email).toEqual(['This field is required.']);
    }
    await app.core.settings.update({ activation_mode: 'none' }, null);
    expect((await post(app, '/v1/auth/register', { username: `noaddr${++n}`, password })).statusCode).toBe(201);
  });

  it('email+admin: verifying first says what is still missing', async () => {
    await app.core.settings.update({ activation_mode: 'email+admin' }, null);
    const reg = await register();
    const { token } = await lastMail(app, reg.email, 'email_verification');
    const verified = await post(app, '/v1/auth/verify-email', { token });
    expect(verified.json().activation_required).toBe('account_not_approved');
    expectProblem(await login(app, reg.name, password), 403, 'account_not_approved');
    await activateUser(app.core, reg.user.id, null, meta);
    expect((await login(app, reg.name, password)).statusCode).toBe(200);
  });

  it('activation is audited with its actor, mailed once, and repeatable without effect', async () => {
    await app.core.settings.update({ activation_mode: 'admin' }, null);
    const reg = await register();
    const admin = await register();
    const before = await mailCount(app, 'account_activated');
    const activated = await activateUser(app.core, reg.user.id, admin.user.id, meta);
    expect(activated).toMatchObject({ approved: true, is_active: true });
    expect(await mailCount(app, 'account_activated')).toBe(before + 1);
    const audit = await app.store.db.selectFrom('audit_events').selectAll().where('kind', '=', 'admin.user_activated').where('user_id', '=', reg.user.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.user.id, ip: meta.ip });
    await activateUser(app.core, reg.user.id, admin.user.id, meta);
    expect(await mailCount(app, 'account_activated')).toBe(before + 1);
    await expect(activateUser(app.core, 987654, null, meta)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a verification code fails after too many wrong guesses, and a resend supersedes it', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    const reg = await register();
    const first = await lastMail(app, reg.email, 'email_verification');
    const wrong = first.code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) expectProblem(await post(app, '/v1/auth/verify-email', { email: reg.email, code: wrong }), 400, 'otp_invalid');
    expectProblem(await post(app, '/v1/auth/verify-email', { email: reg.email, code: wrong }), 400, 'otp_attempts_exceeded');
    expectProblem(await post(app, '/v1/auth/verify-email', { email: reg.email, code: first.code }), 400, 'otp_attempts_exceeded');
    expect((await post(app, '/v1/auth/verify-email/resend', { email: reg.email })).statusCode).toBe(202);
    const second = await lastMail(app, reg.email, 'email_verification');
    expectProblem(await post(app, '/v1/auth/verify-email', { token: first.token }), 400, 'verification_token_invalid');
    expect((await post(app, '/v1/auth/verify-email', { token: second.token })).statusCode).toBe(200);
    expectProblem(await post(app, '/v1/auth/verify-email', { token: second.token }), 400, 'verification_token_invalid');
    expect((await login(app, reg.name, password)).statusCode).toBe(200);
    expect(await auditKinds(app, reg.user.id)).toEqual(expect.arrayContaining(['email.verification_sent', 'email.verified']));
  });

  it('an expired verification link fails', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    const reg = await register();
    const { token } = await lastMail(app, reg.email, 'email_verification');
    app.clock.advance(app.core.settings.get('otp_ttl') + 1);
    expectProblem(await post(app, '/v1/auth/verify-email', { token }), 400, 'verification_token_invalid');
  });

  it('resend answers alike for unverified, verified and unknown addresses, and mails only the unverified', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    const unverified = await register();
    const verified = await register();
    await post(app, '/v1/auth/verify-email', { token: (await lastMail(app, verified.email, 'email_verification')).token });
    const before = await mailCount(app, 'email_verification');
    const answers = [];
    for (const email of [unverified.email, verified.email, 'stranger@example.com']) {
      const res = await post(app, '/v1/auth/verify-email/resend', { email });
      answers.push({ status: res.statusCode, body: res.json() });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await mailCount(app, 'email_verification')).toBe(before + 1);
  });

  it('resend and forgot are rate-limited per client and per address', async () => {
    await app.core.settings.update({ rate_reset_ip: 3, rate_reset_account: 2 }, null);
    try {
      app.clock.advance(3600); // a fresh window
      expect((await post(app, '/v1/auth/verify-email/resend', { email: 'flood@example.com' })).statusCode).toBe(202);
      expect((await post(app, '/v1/auth/verify-email/resend', { email: 'flood@example.com' })).statusCode).toBe(202);
      const limited = await post(app, '/v1/auth/verify-email/resend', { email: 'flood@example.com' });
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(app, '/v1/auth/password/forgot', { email: 'a@example.com' })).statusCode).toBe(202);
      expect((await post(app, '/v1/auth/password/forgot', { email: 'b@example.com' })).statusCode).toBe(202);
      expect((await post(app, '/v1/auth/password/forgot', { email: 'c@example.com' })).statusCode).toBe(202);
      expectProblem(await post(app, '/v1/auth/password/forgot', { email: 'd@example.com' }), 429, 'rate_limited');
    } finally {
      await app.core.settings.update({ rate_reset_ip: 10000, rate_reset_account: 10000 }, null);
    }
  });

  it('GATEHOUSE_ACTIVATION sets the initial mode', async () => {
    const other = await testApp(backend, { GATEHOUSE_ACTIVATION: 'email+admin' });
    try {
      expect(other.core.settings.get('activation_mode')).toBe('email+admin');
      const res = await other.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'envmode', email: 'envmode@example.com', password } });
      expect(res.json().activation_required).toBe('account_not_approved');
      expect(await mailCount(other, 'email_verification')).toBe(1);
    } finally {
      await other.close();
    }
  });
});
