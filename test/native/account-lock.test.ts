import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';

const password = 'a sturdy passphrase 42';
const owner = '192.0.2.10';
const attacker = '203.0.113.66';

describe.each(backends)('account protection that cannot keep the owner out, on %s', (backend) => {
  let app: TestApp;
  const login = (who: string, pw: string, remoteAddress: string) =>
    app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password: pw }, remoteAddress });

  beforeAll(async () => {
    app = await testApp(backend);
    await app.core.settings.update({ lockout_threshold: 3, lockout_seconds: 300, rate_login_ip: 10000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('locks the account against other clients, doubling each time, while its owner still logs in from a known address', async () => {
    const { user } = await app.signUp();
    expect((await login(user.username, password, owner)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(user.username, 'wrong guess number one', attacker)).statusCode).toBe(401);
    const locked = await login(user.username, password, attacker);
    // A locked account answers like a wrong password, so the lock does not reveal that the account exists.
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('invalid_credentials');
    expect(locked.headers['retry-after']).toBeUndefined();
    expect((await app.core.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow()).locked_until).toBe(app.clock.now() + 300_000);
    // A first-time client with the right password is held back too: the lock is not only for the attacker's address.
    expect((await login(user.username, password, '198.51.100.5')).json().code).toBe('invalid_credentials');
    // The owner's known address gets in, which also clears the lock.
    expect((await login(user.username, password, owner)).statusCode).toBe(200);
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
      expect((await login(user.email, password, owner)).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) await login(user.email, 'wrong guess again', `203.0.113.${100 + i}`);
      expect((await login(user.email, 'wrong guess again', '203.0.113.200')).statusCode).toBe(429);
      expect((await login(user.email, password, owner)).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ rate_login_account: 10, lockout_threshold: 3 }, null);
    }
  });
});
