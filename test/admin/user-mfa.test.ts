import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { addPasskey, origin, passkeyEnv, passkeySignIn, SoftAuthenticator } from '../mfa/passkey-support.js';
import { consoleLogin, form, formHeaders, password, person, type Person } from './support.js';

/** GET /v1/admin/users/{id}/mfa and POST …/mfa/reset, and the console's card and button. */
describe.each(backends)('admin view and reset of second factors on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let superuser: Person;

  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    superuser = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  /** An account with two real passkeys, and its live session token (signed in with the first: adding the second is a step-up). */
  async function enrolled() {
    const signed = await app.signUp();
    const laptop = new SoftAuthenticator(origin);
    await addPasskey(app, signed.access_token, laptop, 'Laptop');
    await app.request({ method: 'POST', url: '/v1/auth/logout', token: signed.access_token });
    const token = await passkeySignIn(app, laptop);
    await addPasskey(app, token, new SoftAuthenticator(origin), 'Phone');
    return { id: signed.user.id as number, email: signed.user.email as string, token };
  }
  const resetMails = (to: string) =>
    app.store.db.selectFrom('outbox').select('text_body').where('to_addr', '=', to).where('kind', '=', 'sign_in_method_changed').where('text_body', 'like', '%removed from your % account by an administrator%').execute();

  it('lists the factors without secrets, resets them in one go, ends access, audits and mails', async () => {
    const u = await enrolled();
    const view = await app.request({ method: 'GET', url: `/v1/admin/users/${u.id}/mfa`, token: staff.token });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body).toMatchObject({ totp: { enrolled: false, enrolled_at: null }, recovery_codes_left: 0, mfa_required: false });
    expect(body.passkeys.map((p: { name: string }) => p.name).sort()).toEqual(['Laptop', 'Phone']);
    // Laptop signed in (last_used_at set); Phone never did.
    expect(body.passkeys.find((p: { name: string }) => p.name === 'Phone')).toEqual({ id: expect.any(String), name: 'Phone', created_at: expect.any(String), last_used_at: null });
    expect(body.passkeys.find((p: { name: string }) => p.name === 'Laptop').last_used_at).toEqual(expect.any(String));
    expect(view.body).not.toMatch(/public_key|credential/i);

    const reset = await app.request({ method: 'POST', url: `/v1/admin/users/${u.id}/mfa/reset`, token: staff.token });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toEqual({ totp_removed: false, recovery_codes_removed: 0, passkeys_removed: 2 });
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${u.id}/mfa`, token: staff.token })).json().passkeys).toEqual([]);
    // The account's sessions ended at once.
    expect((await app.request({ method: 'GET', url: '/v1/me', token: u.token })).statusCode).toBe(401);
    const audit = await app.store.db.selectFrom('audit_events').select(['detail', 'actor_id']).where('user_id', '=', u.id).where('kind', '=', 'admin.mfa_reset').executeTakeFirstOrThrow();
    expect(Number(audit.actor_id)).toBe(staff.id);
    expect(JSON.parse(audit.detail as unknown as string)).toMatchObject({ passkeys_removed: 2, sessions_revoked: 1 });
    expect(await resetMails(u.email)).toHaveLength(1);
  });

  it('race: parallel resets remove each factor once and mail once', async () => {
    const u = await enrolled();
    const results = await Promise.all(Array.from({ length: 6 }, () => app.request({ method: 'POST', url: `/v1/admin/users/${u.id}/mfa/reset`, token: staff.token })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    expect(results.reduce((n, r) => n + r.json().passkeys_removed, 0)).toBe(2);
    expect(await resetMails(u.email)).toHaveLength(1);
  });

  it('permissions: a user may not, staff may not reset another staff account, a superuser may', async () => {
    // Named apart: person()'s "user<n>" names can meet signUp()'s.
    const user = await person(app, 'user', { username: 'mfa_matrix_user', email: 'mfa_matrix_user@example.com' });
    const otherStaff = await person(app, 'staff');
    const target = await enrolled();
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${target.id}/mfa`, token: user.token })).statusCode).toBe(403);
    expect((await app.request({ method: 'POST', url: `/v1/admin/users/${target.id}/mfa/reset`, token: user.token })).statusCode).toBe(403);
    expect((await app.request({ method: 'POST', url: `/v1/admin/users/${target.id}/mfa/reset` })).statusCode).toBe(401);
    const denied = await app.request({ method: 'POST', url: `/v1/admin/users/${otherStaff.id}/mfa/reset`, token: staff.token });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('permission_denied');
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${otherStaff.id}/mfa`, token: staff.token })).statusCode).toBe(200);
    expect((await app.request({ method: 'POST', url: `/v1/admin/users/${otherStaff.id}/mfa/reset`, token: superuser.token })).statusCode).toBe(200);
    // Nothing was removed by the refused calls.
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${target.id}/mfa`, token: staff.token })).json().passkeys).toHaveLength(2);
  });

  it('bad input: ids, bodies, content types and tokens get a clear 4xx and change nothing', async () => {
    const target = await enrolled();
    const cases: [string, string, Record<string, string> | undefined, string | undefined, number][] = [
      ['GET', '/v1/admin/users/abc/mfa', undefined, undefined, 400],
      ['GET', '/v1/admin/users/-1/mfa', undefined, undefined, 400],
      ['GET', '/v1/admin/users/0/mfa', undefined, undefined, 404],
      ['GET', '/v1/admin/users/99999999999/mfa', undefined, undefined, 404],
      ['GET', `/v1/admin/users/${'9'.repeat(16)}/mfa`, undefined, undefined, 400],
      ['GET', '/v1/admin/users/1%00/mfa', undefined, undefined, 400],
      ['GET', '/v1/admin/users/%EF%BC%91/mfa', undefined, undefined, 400], // fullwidth "1"
      ['POST', '/v1/admin/users/abc/mfa/reset', undefined, undefined, 400],
      ['POST', '/v1/admin/users/99999999999/mfa/reset', undefined, undefined, 404],
      ['POST', `/v1/admin/users/${target.id}/mfa/reset`, { 'content-type': 'application/json' }, '{"confirm": tru', 400],
      ['POST', `/v1/admin/users/${target.id}/mfa/reset`, { 'content-type': 'text/plain' }, 'reset', 415],
      ['POST', `/v1/admin/users/${target.id}/mfa/reset`, { 'content-type': 'application/json' }, JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), 413],
    ];
    for (const [method, url, headers, payload, status] of cases) {
      const res = await app.request({ method: method as 'GET', url, headers, payload, token: staff.token });
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const token of ['garbage', `${staff.token}x`, 'ghe_' + 'A'.repeat(43)]) {
      expect((await app.request({ method: 'POST', url: `/v1/admin/users/${target.id}/mfa/reset`, token })).statusCode).toBe(401);
    }
    app.clock.advance(3600);
    expect((await app.request({ method: 'POST', url: `/v1/admin/users/${target.id}/mfa/reset`, token: staff.token })).json().code).toBe('token_expired');
    app.clock.advance(-3600);
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${target.id}/mfa`, token: staff.token })).json().passkeys).toHaveLength(2);
    expect(await app.store.db.selectFrom('audit_events').select('id').where('user_id', '=', target.id).where('kind', '=', 'admin.mfa_reset').execute()).toEqual([]);
  });

  it('console: the user page shows the factors, the reset button needs the CSRF token, and works with it', async () => {
    const target = await enrolled();
    const session = await consoleLogin(app, staff.username);
    const page = await app.request({ method: 'GET', url: `/admin/users/${target.id}`, headers: { cookie: session.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="mfa-h">Second factors</h2>');
    expect(page.body).toContain('<strong>Laptop</strong>');
    expect(page.body).toContain(`action="/admin/users/${target.id}/mfa-reset"`);
    const forged = await app.request({ method: 'POST', url: `/admin/users/${target.id}/mfa-reset`, headers: formHeaders(session.cookie), payload: form({ _csrf: 'wrong' }) });
    expect(forged.statusCode).toBe(403);
    expect((await app.request({ method: 'GET', url: `/v1/admin/users/${target.id}/mfa`, token: staff.token })).json().passkeys).toHaveLength(2);
    const done = await app.request({ method: 'POST', url: `/admin/users/${target.id}/mfa-reset`, headers: formHeaders(session.cookie), payload: form({ _csrf: session.csrf }) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/admin/users/${target.id}?notice=mfa_reset`);
    const after = await app.request({ method: 'GET', url: `/admin/users/${target.id}?notice=mfa_reset`, headers: { cookie: session.cookie } });
    expect(after.body).toContain('Second factors removed.');
    expect(after.body).not.toContain(`action="/admin/users/${target.id}/mfa-reset"`);
  });

  it('console sign-in: a staff account with a factor, and one past its enrolment grace, are told why', async () => {
    const signIn = (login: string, pw = password) => app.request({ method: 'POST', url: '/admin/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ login, password: pw }) });
    const withKey = await person(app, 'staff');
    await addPasskey(app, withKey.token, new SoftAuthenticator(origin), 'Key');
    // The password alone is no session: the second step (test/admin/console-mfa.test.ts), with only its attempt cookie.
    const refused = await signIn(withKey.username);
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/admin/login/factor');
    expect(String(refused.headers['set-cookie'])).toMatch(/^gatehouse_console_mfa=/);
    // Enumeration: a wrong password on that account reads like any wrong password.
    expect((await signIn(withKey.username, 'not the password 1')).body).toContain('Please enter a correct username or email and password.');

    const noKey = await person(app, 'staff');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: 0 }, null);
    try {
      const overdue = await signIn(noKey.username);
      expect(overdue.statusCode).toBe(403);
      expect(overdue.body).toContain('must enrol a second factor');
      expect(overdue.headers['set-cookie']).toBeUndefined();
    } finally {
      await app.core.settings.update({ mfa_required_staff: false, mfa_enrolment_grace: 7 * 86400 }, null);
    }
  });

  it('console: the settings page shows the multi-factor and profile settings', async () => {
    const session = await consoleLogin(app, superuser.username);
    const page = (await app.request({ method: 'GET', url: '/admin/settings', headers: { cookie: session.cookie } })).body;
    expect(page).toContain('<legend>Multi-factor</legend>');
    expect(page).toMatch(/name="mfa_enrolment_grace" type="text"[^>]* value="7 days"/);
    expect(page).toMatch(/name="mfa_required_staff" type="checkbox"/);
    expect(page).toMatch(/name="profile_simplejwt_allow_password_only_mfa" type="checkbox"/);
    const saved = await app.request({ method: 'POST', url: '/admin/settings', headers: formHeaders(session.cookie), payload: form({ _csrf: session.csrf, mfa_enrolment_grace: '2 weeks', mfa_required_staff: 'on' }) });
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(303);
    expect(app.core.settings.get('mfa_enrolment_grace')).toBe(14 * 86400);
    expect(app.core.settings.get('mfa_required_staff')).toBe(true);
    await app.core.settings.update({ mfa_required_staff: false, mfa_enrolment_grace: 7 * 86400 }, null);
  });
});
