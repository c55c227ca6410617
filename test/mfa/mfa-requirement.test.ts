import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endAccess } from '../../src/core/end-access.js';
import { inTransaction } from '../../src/core/transaction.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { person } from '../admin/support.js';
import { expectProblem } from '../recovery/support.js';
import { addPasskey, origin, passkeyEnv, SoftAuthenticator, testPassword } from './passkey-support.js';

const day = 86400;

/**
 * "Require MFA for staff / for everyone" with an enrolment grace, on the ManualClock: in the grace a
 * password login works and says by when to enrol; past it, it only gets an enrolment-only token
 * that the passkey enrolment routes take and every other route refuses.
 */
describe.each(backends)('the multi-factor requirement on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { ...passkeyEnv, GATEHOUSE_COMPAT: 'drf-token' });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const login = (who: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password: testPassword } });
  const iso = (ms: number) => new Date(ms).toISOString();

  it('staff: grace from the first login under the requirement, then an enrolment-only session that can add a passkey', async () => {
    const staff = await person(app, 'staff');
    const plain = await person(app, 'user');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: day }, null);

    // Before the first login under the requirement nothing has started; the first login starts the grace.
    app.clock.advance(3600);
    const firstAt = app.clock.now();
    const first = await login(staff.username);
    expect(first.statusCode).toBe(200);
    expect(first.json().mfa_enrolment_required_by).toBe(iso(firstAt + day * 1000));
    expect(first.json().access_token).toBeTruthy();
    // Ordinary accounts are not concerned.
    const other = await login(plain.username);
    expect(other.statusCode).toBe(200);
    expect(other.json()).not.toHaveProperty('mfa_enrolment_required_by');

    // Later logins keep the same deadline.
    app.clock.advance(day - 60);
    expect((await login(staff.username)).json().mfa_enrolment_required_by).toBe(iso(firstAt + day * 1000));

    // Past it: 403 mfa_enrolment_required with an enrolment token, and no access or refresh token.
    app.clock.advance(120);
    const overdue = await login(staff.username);
    expectProblem(overdue, 403, 'mfa_enrolment_required');
    const problem = overdue.json();
    expect(problem).toMatchObject({ mfa_enrolment_required_by: iso(firstAt + day * 1000), expires_in: 900, type: 'urn:gatehouse:error:mfa_enrolment_required' });
    expect(problem.enrolment_token).toMatch(/^ghe_[A-Za-z0-9_-]{40,}$/);
    expect(problem).not.toHaveProperty('access_token');
    expect(problem).not.toHaveProperty('refresh_token');
    const token = problem.enrolment_token as string;
    const audit = await app.store.db.selectFrom('audit_events').select('detail').where('user_id', '=', staff.id).where('kind', '=', 'login.succeeded').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail as unknown as string)).toMatchObject({ restricted: 'mfa_enrolment' });

    // Privilege escalation: the enrolment token does nothing but enrol.
    expectProblem(await app.request({ method: 'GET', url: '/v1/me', token }), 403, 'mfa_enrolment_required');
    expectProblem(await app.request({ method: 'POST', url: '/v1/auth/logout-all', token }), 403, 'mfa_enrolment_required');
    expect((await app.request({ method: 'GET', url: '/v1/admin/users', token })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: token } })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token })).json()).toEqual([]);

    // It enrols a passkey through MFA-B's routes, and the next password login is no longer "enrol first".
    await addPasskey(app, token, new SoftAuthenticator(origin), 'Required key');
    const after = await login(staff.username);
    expect(after.json().code).not.toBe('mfa_enrolment_required');
    expect(after.json()).not.toHaveProperty('mfa_enrolment_required_by');
    expect(after.json()).not.toHaveProperty('refresh_token');
  });

  it('replay: an enrolment token stops working when it expires, and when the account\'s access ends', async () => {
    const staff = await person(app, 'staff');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: 0 }, null);
    const token = (await login(staff.username)).json().enrolment_token as string;
    expect((await app.request({ method: 'GET', url: '/v1/me/passkeys', token })).statusCode).toBe(200);
    app.clock.advance(15 * 60);
    expectProblem(await app.request({ method: 'GET', url: '/v1/me/passkeys', token }), 401, 'invalid_token');

    const second = (await login(staff.username)).json().enrolment_token as string;
    await inTransaction(app.core, (trx) => endAccess(app.core, trx, staff.id, 'test'));
    expectProblem(await app.request({ method: 'GET', url: '/v1/me/passkeys', token: second }), 401, 'invalid_token');
    // Look-alike: a token of the right shape that was never issued.
    expectProblem(await app.request({ method: 'GET', url: '/v1/me/passkeys', token: `${second.slice(0, -2)}AA` }), 401, 'invalid_token');
    await app.core.settings.update({ mfa_enrolment_grace: day }, null);
  });

  it('everyone: ordinary accounts too; a profile login past the grace is refused in the seed\'s shape', async () => {
    const plain = await person(app, 'user');
    await app.core.settings.update({ mfa_required_staff: false, mfa_required_everyone: true, mfa_enrolment_grace: day }, null);
    const graced = await login(plain.username);
    expect(graced.statusCode).toBe(200);
    expect(graced.json().mfa_enrolment_required_by).toBe(iso(app.clock.now() + day * 1000));
    // A profile login in the grace works (its client cannot show the deadline).
    expect((await app.request({ method: 'POST', url: '/login/', payload: { username: plain.username, password: testPassword } })).statusCode).toBe(200);
    app.clock.advance(day + 1);
    const res = await app.request({ method: 'POST', url: '/login/', payload: { username: plain.username, password: testPassword } });
    expect(res.statusCode).toBe(400);
    expect(res.json().non_field_errors[0]).toMatch(/must enrol a second factor .*app that supports multi-factor authentication/);
    const kinds = await app.store.db.selectFrom('audit_events').select('kind').where('user_id', '=', plain.id).orderBy('id', 'desc').limit(1).execute();
    expect(kinds[0]!.kind).toBe('mfa.enrolment_required');
    await app.core.settings.update({ mfa_required_everyone: false }, null);
  });

  it('switching the requirement off and on again starts a fresh grace', async () => {
    const staff = await person(app, 'staff');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: day }, null);
    expect((await login(staff.username)).statusCode).toBe(200);
    app.clock.advance(2 * day);
    expectProblem(await login(staff.username), 403, 'mfa_enrolment_required');
    await app.core.settings.update({ mfa_required_staff: false }, null);
    expect((await login(staff.username)).json()).not.toHaveProperty('mfa_enrolment_required_by');
    app.clock.advance(60);
    await app.core.settings.update({ mfa_required_staff: true }, null);
    const again = await login(staff.username);
    expect(again.statusCode).toBe(200);
    expect(again.json().mfa_enrolment_required_by).toBe(iso(app.clock.now() + day * 1000));
    await app.core.settings.update({ mfa_required_staff: false }, null);
  });

  it('race: parallel first logins under the requirement agree on one deadline', async () => {
    const staff = await person(app, 'staff');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: day }, null);
    const results = await Promise.all(Array.from({ length: 8 }, () => login(staff.username)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.json().mfa_enrolment_required_by)).size).toBe(1);
    const rows = await app.store.db.selectFrom('mfa_enrolment_grace').selectAll().where('user_id', '=', staff.id).execute();
    expect(rows).toHaveLength(1);
    await app.core.settings.update({ mfa_required_staff: false }, null);
  });
});
