import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

const password = testPassword;
const owner = '192.0.2.10';
const attacker = '203.0.113.66';

describe.each(backends)('account protection that cannot keep the owner out, on %s', (backend) => {
  let app: TestApp;
  const login = (who: string, pw: string, remoteAddress: string, device_token?: string) =>
    app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password: pw, ...(device_token ? { device_token } : {}) }, remoteAddress });

  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ lockout_threshold: 3, lockout_seconds: 300, rate_login_ip: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('locks the account against other clients, doubling each time, while its owner still logs in with its device token', async () => {
    const { user } = await app.signUp();
    const first = await login(user.username, password, owner);
    expect(first.statusCode).toBe(200);
    const device = first.json().device_token as string;
    for (let i = 0; i < 3; i++) expect((await login(user.username, 'wrong guess number one', attacker)).statusCode).toBe(401);
    const locked = await login(user.username, password, attacker);
    // A locked account answers like a wrong password, so the lock does not reveal that the account exists.
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('invalid_credentials');
    expect(locked.headers['retry-after']).toBeUndefined();
    expect((await app.core.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow()).locked_until).toBe(app.clock.now() + 300_000);
    // A client without the device token is held back too, even from the owner's address (item 9: an address is not a client).
    expect((await login(user.username, password, '198.51.100.5')).json().code).toBe('invalid_credentials');
    expect((await login(user.username, password, owner)).json().code).toBe('invalid_credentials');
    // The owner's device token gets in; the lock stays for everyone else.
    expect((await login(user.username, password, owner, device)).statusCode).toBe(200);
    expect((await app.core.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow())).toEqual({ failed_logins: 3, locked_until: app.clock.now() + 300_000 });
    // Once the lock has passed, a login without the token clears the count.
    app.clock.advance(301);
    expect((await login(user.username, password, attacker)).statusCode).toBe(200);
    expect((await app.core.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow())).toEqual({ failed_logins: 0, locked_until: null });

    // Locks grow: three more failures lock for 5 min, three after that for 10 min.
    for (let i = 0; i < 3; i++) await login(user.username, 'wrong guess number two', attacker);
    app.clock.advance(301);
    for (let i = 0; i < 3; i++) await login(user.username, 'wrong guess number three', attacker);
    expect((await login(user.username, password, attacker)).json().code).toBe('invalid_credentials');
    expect((await app.core.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow()).locked_until).toBe(app.clock.now() + 600_000);
    expect((await app.core.db.selectFrom('audit_events').select('kind').where('user_id', '=', user.id).where('kind', '=', 'account.locked').execute())).toHaveLength(3);
  });

  it('does not let an attacker exhaust the per-account budget for the owner', async () => {
    await app.core.settings.update({ rate_login_account: 5, lockout_threshold: 1000 }, null);
    try {
      const { user } = await app.signUp();
      const first = await login(user.email, password, owner);
      expect(first.statusCode).toBe(200);
      for (let i = 0; i < 5; i++) await login(user.email, 'wrong guess again', `203.0.113.${100 + i}`);
      expect((await login(user.email, 'wrong guess again', '203.0.113.200')).statusCode).toBe(429);
      expect((await login(user.email, password, owner, first.json().device_token)).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ rate_login_account: 10, lockout_threshold: 3 }, null);
    }
  });
});
