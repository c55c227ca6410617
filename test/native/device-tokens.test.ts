import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { compatApp } from '../compat/support.js';
import { deviceTokensPerAccount } from '../../src/core/device-tokens.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { testPassword } from '../support/passwords.js';

const password = testPassword;
const newPassword = 'another sturdy passphrase 77';
const ownerHome = '192.0.2.10';
const attacker = '203.0.113.66';

// Device tokens (OWASP "device cookies"): a client that logged in to an account before skips that
// account's lock and per-account budget; nothing else about a client (its address) does.
describe.each(backends)('device tokens against lockout denial of service, on %s', (backend) => {
  let app: TestApp;
  const login = (who: string, pw: string, remoteAddress: string, extra: { device_token?: string; cookie?: string } = {}) =>
    app.request({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { login: who, password: pw, ...(extra.device_token !== undefined ? { device_token: extra.device_token } : {}) },
      headers: extra.cookie ? { cookie: extra.cookie } : {},
      remoteAddress,
    });
  const lockOut = async (who: string, from = attacker) => {
    for (let i = 0; i < 3; i++) expect((await login(who, 'wrong guess', from)).statusCode).toBe(401);
  };
  const deviceRows = (userId: number) => app.core.db.selectFrom('device_tokens').selectAll().where('user_id', '=', userId).execute();
  const lockOf = async (userId: number) => (await app.core.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', userId).executeTakeFirstOrThrow());

  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ lockout_threshold: 3, lockout_seconds: 300, rate_login_ip: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attack: anyone behind the owner\'s NAT skips the lock', async () => {
    const { user } = await app.signUp();
    // The owner logs in from the office's one public address (no device token kept: an API client that ignores it).
    expect((await login(user.username, password, ownerHome)).statusCode).toBe(200);
    // Someone else behind the same NAT guesses; the address the owner used must buy them nothing.
    await lockOut(user.username, ownerHome);
    expect((await lockOf(user.id)).locked_until).toBe(app.clock.now() + 300_000);
    const res = await login(user.username, password, ownerHome);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
  });

  it('owner with a device token logs in while the account is locked (field and cookie), and the lock still holds for others', async () => {
    const { user } = await app.signUp();
    const first = await login(user.username, password, ownerHome);
    expect(first.statusCode).toBe(200);
    const token = first.json().device_token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toContain(`gh_device=${token}`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Path=\/v1\/auth\/login/);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    // Only the digest is stored, and never in the audit log.
    expect((await deviceRows(user.id)).map((r) => r.token_hash)).toEqual([tokenDigest(token)]);
    const audit = await app.core.db.selectFrom('audit_events').select('detail').where('user_id', '=', user.id).execute();
    expect(JSON.stringify(audit)).not.toContain(token);

    await lockOut(user.username);
    const before = await lockOf(user.id);
    expect(before.locked_until).not.toBeNull();
    const viaField = await login(user.username, password, ownerHome, { device_token: token });
    expect(viaField.statusCode, viaField.body).toBe(200);
    expect(viaField.json().device_token).toBe(token);
    expect((await login(user.username, password, ownerHome, { cookie: `other=1; gh_device=${token}` })).statusCode).toBe(200);
    // The owner's device-token login does not forgive the others' failures: the lock still holds for them.
    expect(await lockOf(user.id)).toEqual(before);
    expect((await login(user.username, password, '198.51.100.5')).statusCode).toBe(401);
  });

  it('owner on a new network with a device token is not locked out, nor held back by a spent per-account budget', async () => {
    await app.core.settings.update({ rate_login_account: 5 }, null);
    try {
      const { user } = await app.signUp();
      const token = (await login(user.email, password, ownerHome)).json().device_token as string;
      for (let i = 0; i < 5; i++) await login(user.email, 'wrong guess', `203.0.113.${100 + i}`);
      expect((await login(user.email, 'wrong guess', '203.0.113.200')).statusCode).toBe(429);
      expect((await login(user.email, password, '198.51.100.77', { device_token: token })).statusCode).toBe(200);
      // Without it, the same new network is held back.
      expect((await login(user.email, password, '198.51.100.77')).statusCode).toBe(429);
    } finally {
      await app.core.settings.update({ rate_login_account: 10 }, null);
    }
  });

  it('a device token of account A does not help account B', async () => {
    const a = await app.signUp();
    const b = await app.signUp();
    const tokenA = (await login(a.user.username, password, ownerHome)).json().device_token as string;
    await lockOut(b.user.username);
    const res = await login(b.user.username, password, ownerHome, { device_token: tokenA });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
    const viaCookie = await login(b.user.username, password, ownerHome, { cookie: `gh_device=${tokenA}` });
    expect(viaCookie.statusCode).toBe(401);
    // A's token still works for A.
    expect((await login(a.user.username, password, ownerHome, { device_token: tokenA })).statusCode).toBe(200);
  });

  it('an expired, garbage or oversized device token is treated as absent', async () => {
    const { user } = await app.signUp();
    const token = (await login(user.username, password, ownerHome)).json().device_token as string;
    await lockOut(user.username);
    for (const extra of [
      { device_token: 'not a token!!' },
      { device_token: 'x'.repeat(300) },
      { device_token: '' },
      { cookie: 'gh_device=%E0%A4%A; x' },
      { cookie: `gh_device=${'y'.repeat(4000)}` },
    ]) {
      const res = await login(user.username, password, ownerHome, extra);
      expect(res.statusCode, JSON.stringify(extra)).toBe(401);
      expect(res.json().code).toBe('invalid_credentials');
    }
    // Beyond the schema's bound the field itself is refused, as any over-long field is.
    expect((await login(user.username, password, ownerHome, { device_token: 'x'.repeat(600) })).statusCode).toBe(400);
    app.clock.advance(91 * 86_400);
    // The lock has long passed; lock the account again and the 91-day-old token no longer helps.
    await lockOut(user.username);
    expect((await login(user.username, password, ownerHome, { device_token: token })).statusCode).toBe(401);
  });

  it('wrong passwords sent with a device token answer as any wrong password, count against the token, and end it at the threshold', async () => {
    const { user } = await app.signUp();
    const token = (await login(user.username, password, ownerHome)).json().device_token as string;
    const plain = await login(user.username, 'wrong guess', attacker);
    const failedLogins = (await lockOf(user.id)).failed_logins;
    for (let i = 0; i < 3; i++) {
      const res = await login(user.username, 'wrong guess', attacker, { device_token: token });
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(plain.body);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Counted against the token, not the account; at the threshold the token is gone.
    expect((await lockOf(user.id)).failed_logins).toBe(failedLogins);
    expect(await deviceRows(user.id)).toHaveLength(0);
    await lockOut(user.username);
    expect((await login(user.username, password, ownerHome, { device_token: token })).statusCode).toBe(401);
  });

  it(`keeps the newest ${deviceTokensPerAccount} device tokens per account`, async () => {
    const { user } = await app.signUp();
    const tokens: string[] = [];
    await app.core.settings.update({ rate_login_account: 100 }, null);
    try {
      for (let i = 0; i < deviceTokensPerAccount + 3; i++) {
        tokens.push((await login(user.username, password, ownerHome)).json().device_token as string);
        app.clock.advance(1);
      }
    } finally {
      await app.core.settings.update({ rate_login_account: 10 }, null);
    }
    const rows = await deviceRows(user.id);
    expect(rows).toHaveLength(deviceTokensPerAccount);
    expect(new Set(rows.map((r) => r.token_hash))).toEqual(new Set(tokens.slice(-deviceTokensPerAccount).map(tokenDigest)));
  });

  it('a password reset deletes the account\'s device tokens', async () => {
    const { user } = await app.signUp();
    const token = (await login(user.username, password, ownerHome)).json().device_token as string;
    expect(await deviceRows(user.id)).toHaveLength(1);
    expect((await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: user.email } })).statusCode).toBe(202);
    const mail = await app.core.db.selectFrom('outbox').select(['text_body']).where('to_addr', '=', user.email).where('kind', '=', 'password_reset').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const reset_token = decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]);
    const reset = await app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: newPassword } });
    expect(reset.statusCode, reset.body).toBe(204);
    expect(await deviceRows(user.id)).toHaveLength(0);
    await lockOut(user.username);
    expect((await login(user.username, newPassword, ownerHome, { device_token: token })).statusCode).toBe(401);
  });
});

describe.each(backends)('device tokens and a compat profile, on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp(backend, 'simplejwt');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a compat login\'s body and headers are unchanged: no device token issued', async () => {
    const { user } = await app.signUp();
    const res = await app.request({ method: 'POST', url: '/api/token', payload: { email: user.email, password } });
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['access', 'refresh']);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await app.core.db.selectFrom('device_tokens').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0);
  });
});
