import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { settingDefs } from '../../src/core/settings.js';
import { testPassword } from '../support/passwords.js';

// Issue 10 items 4-6: the login protection holds under parallel guessing, look-alike spellings and probing.
const password = testPassword;
const attacker = '203.0.113.77';
const prober = '198.51.100.99';
const high = { rate_login_ip: 100_000, rate_login_account: 100_000 };
const defaults = { lockout_threshold: settingDefs.lockout_threshold.initial(), rate_login_account: settingDefs.rate_login_account.initial() };

/** The fullwidth form (U+FF01..U+FF5E) of a printable ASCII character, which NFKC folds back. */
const fullwidth = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);

/** What a client can compare between two answers: everything but the date and the request id. */
function visible(res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> }) {
  const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
  const { request_id: _rid, instance: _instance, ...body } = res.json();
  return { status: res.statusCode, headers, body };
}

describe.each(backends)('login protection under races and probing, on %s', (backend) => {
  let app: TestApp;
  const login = (who: string, pw: string, remoteAddress = attacker) =>
    app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password: pw }, remoteAddress });
  const row = (id: number) => app.core.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: number, kind: string) => app.core.db.selectFrom('audit_events').select('detail').where('user_id', '=', id).where('kind', '=', kind).execute();

  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attack: the lock never triggers under parallel guessing', async () => {
    // The budget is not what stops these guesses: only the lock may.
    await app.core.settings.update({ ...defaults, ...high }, null);
    const { user } = await app.signUp();
    for (let burst = 0; burst < 3; burst++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login(user.username, `wrong guess ${burst}-${i}`)));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(401));
      // The attacker waits out whatever lock there is (at most an hour) and tries again.
      if (burst < 2) app.clock.advance(3601);
    }
    expect((await row(user.id)).failed_logins).toBe(30);
    // Each burst reached a threshold (10, 20, 30), and exactly one of its requests locked the account.
    expect(await audits(user.id, 'account.locked')).toHaveLength(3);
    const right = await login(user.username, password);
    expect(right.statusCode).toBe(401);
    expect(right.json().code).toBe('invalid_credentials');
  });

  it('attack: look-alike spellings multiply the per-account budget', async () => {
    // Only the per-account budget is in play: no lock (the pre-fix lock answered 429 too), no per-IP limit.
    await app.core.settings.update({ ...defaults, lockout_threshold: 1000, rate_login_ip: high.rate_login_ip }, null);
    const { user } = await app.signUp({ username: `victoria${backend}` });
    const name: string = user.username;
    // Eight spellings the lookup folds to one account (NFKC, then lower case) but that differ when only lower-cased.
    const spellings = Array.from({ length: 8 }, (_, i) =>
      [...name].map((c) => (i % 2 ? c.toUpperCase() : c)).map((c, j) => (j === i ? fullwidth(c) : c)).join(''),
    );
    expect(new Set(spellings.map((s) => s.toLowerCase())).size).toBe(8);
    expect(new Set(spellings.map((s) => s.normalize('NFKC').toLowerCase()))).toEqual(new Set([name]));
    let accepted = 0;
    for (const spelling of spellings) {
      for (let i = 0; i < 10; i++) {
        const res = await login(spelling, `wrong guess ${i}`);
        if (res.statusCode === 429 && res.json().code === 'rate_limited') break;
        expect(res.statusCode).toBe(401);
        accepted++;
      }
    }
    expect(accepted).toBe(defaults.rate_login_account);
    // Every accepted guess was counted against this one account, none as an unknown login.
    expect(await audits(user.id, 'login.failed')).toHaveLength(defaults.rate_login_account);
  });

  it('attack: the lock enumerates accounts', async () => {
    await app.core.settings.update({ ...defaults, ...high }, null);
    const { user } = await app.signUp();
    const { user: unlocked } = await app.signUp();
    for (let i = 0; i < defaults.lockout_threshold; i++) await login(user.username, `wrong guess ${i}`);
    expect((await row(user.id)).locked_until).not.toBeNull();
    const unknown = visible(await login('nobody_has_this_name', 'wrong guess', prober));
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('invalid_credentials');
    // A locked account, whether probed with a wrong or the right password, answers exactly as an unknown
    // login and as a wrong password on an unlocked account: status, headers (no Retry-After) and body.
    expect(visible(await login(user.username, 'wrong guess', prober))).toEqual(unknown);
    expect(visible(await login(user.username, password, prober))).toEqual(unknown);
    expect(visible(await login(unlocked.username, 'wrong guess', prober))).toEqual(unknown);
    expect(unknown.headers['retry-after']).toBeUndefined();
    // Only the audit log says why.
    expect((await audits(user.id, 'login.failed')).map((a) => (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail).reason)).toContain('locked');
  });
});
