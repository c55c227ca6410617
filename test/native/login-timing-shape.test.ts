import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

// Timing belongs in bench/ (bench/login-timing.ts measures it); what a test can pin down is the cause
// the issue found: an existing account's failed login sent more statements than an unknown login's.
describe.each(backends)('failed-login database work on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ lockout_threshold: 3 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  const statements = async (login: string, password: string) => {
    app.queries.reset();
    const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
    expect(res.statusCode).toBe(401);
    return [...app.queries.seen];
  };

  it('attack: login for an existing account takes longer than for an unknown one (more statements)', async () => {
    const { user } = await app.signUp({ username: 'shape', password: testPassword });
    const unknown = await statements('nobody-here', 'wrong password 1');
    const known = await statements('shape', 'wrong password 1');
    expect(known).toEqual(unknown);
    expect(known.length).toBeGreaterThan(0);
    // A locked account (and the failure that locks it) does the same work too.
    await statements('shape', 'wrong password 2');
    const locking = await statements('shape', 'wrong password 3');
    const row = await app.core.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
    const locked = await statements('shape', testPassword);
    expect(locked).toEqual(unknown);
    // Reaching the threshold adds the lock statement and its audit row; nothing else differs.
    expect(locking.length).toBe(unknown.length + 2);
  });
});
