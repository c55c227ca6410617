import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, form, person, type Person } from './support.js';

const chosen = 'an invited person picks this 42';

describe.each(backends)('inviting a user on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  let su: Person;
  let n = 0;
  const email = () => `invitee${++n}_${backend}_${process.pid}@example.com`;

  const invite = (who: Person, payload: unknown, headers?: Record<string, string>) =>
    app.request({ method: 'POST', url: '/v1/admin/users/invite', payload, token: who.token, headers });
  const setPassword = (token: string, newPassword: string) =>
    app.http.inject({ method: 'POST', url: '/reset-password', payload: new URLSearchParams({ token, new_password: newPassword }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const login = (login: string, password: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
  /** The newest invitation to `to`, and the token its link carries. */
  const lastMail = async (to: string, _kind: 'invitation') => {
    const row = await app.store.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).where('kind', '=', 'invitation').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { row, token: /reset-password\?token=([A-Za-z0-9_-]+)/.exec(row.text_body)![1]! };
  };
  const userRow = (id: number) => app.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    staff = await person(app, 'staff');
    su = await person(app, 'superuser');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('mails a set-password link; following it sets the first password, verifies the address and lets them sign in', async () => {
    const to = email();
    const res = await invite(staff, { email: to, first_name: 'Ines', last_name: 'Vale' });
    expect(res.statusCode).toBe(201);
    const { user, invitation_expires_at } = res.json();
    expect(user).toMatchObject({ email: to, is_active: true, email_verified: false, is_staff: false });
    expect(invitation_expires_at).toBe(app.clock.now() + 7 * 86_400_000);
    const { row, token } = await lastMail(to, 'invitation');
    expect(row.subject).toContain('invited');
    expect(row.text_body).toContain(`${staff.username} created`);
    expect(row.text_body).toContain('7 days');
    // Only the invitation: no separate verification mail, whatever the activation mode.
    expect(await app.store.db.selectFrom('outbox').select('kind').where('to_addr', '=', to).execute()).toEqual([{ kind: 'invitation' }]);

    expect((await app.http.inject({ method: 'GET', url: `/reset-password?token=${token}` })).statusCode).toBe(200);
    expect((await setPassword(token, chosen)).statusCode).toBe(200);
    expect((await login(to, chosen)).statusCode).toBe(200);
    expect((await userRow(user.id)).email_verified).toBeTruthy();
    const kinds = (await app.store.db.selectFrom('audit_events').select('kind').where('user_id', '=', user.id).orderBy('id').execute()).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['user.registered', 'admin.user_invited', 'password.reset']));
  });

  it('nobody can sign in before the link is followed, and the link works once', async () => {
    const to = email();
    const { user } = (await invite(staff, { email: to })).json();
    // The random password is never told to anyone: the empty one, the address and a guess all fail alike.
    for (const guess of ['', to, 'password', chosen]) expect((await login(to, guess)).statusCode).toBeGreaterThanOrEqual(400);
    const { token } = await lastMail(to, 'invitation');
    const first = await Promise.all(Array.from({ length: 5 }, () => setPassword(token, chosen)));
    expect(first.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect((await setPassword(token, 'a second choice 77 x')).statusCode).toBe(400);
    expect((await login(to, chosen)).statusCode).toBe(200);
    expect(user.id).toBeGreaterThan(0);
  });

  it('refuses a taken address, a look-alike of one, and staff invitations from staff', async () => {
    const to = email();
    expect((await invite(staff, { email: to })).statusCode).toBe(201);
    const again = await invite(staff, { email: to.toUpperCase() });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors?.email ?? again.json().fields?.email ?? again.body).toBeTruthy();
    expect((await invite(staff, { email: email(), is_staff: true })).statusCode).toBe(403);
    const made = await invite(su, { email: email(), is_staff: true });
    expect(made.statusCode).toBe(201);
    expect(made.json().user.is_staff).toBe(true);
  });

  it('answers bad input with a clear 4xx and creates nothing', async () => {
    const before = await app.store.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ email: '' }, 400],
      [{ email: 'not an address' }, 400],
      [{ email: 42 }, 400],
      [{ email: 'x'.repeat(250) + '@example.com' }, 400],
      [{ email: `${email()}\u0000` }, 400],
      [[], 400],
    ];
    for (const [payload, status] of cases) expect((await invite(staff, payload)).statusCode, JSON.stringify(payload)).toBe(status);
    const text = await app.request({ method: 'POST', url: '/v1/admin/users/invite', payload: 'email=a@example.com', token: staff.token, headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    const anonymous = await app.request({ method: 'POST', url: '/v1/admin/users/invite', payload: { email: email() } });
    expect(anonymous.statusCode).toBe(401);
    const plain = await person(app, 'user');
    expect((await invite(plain, { email: email() })).statusCode).toBe(403);
    const after = await app.store.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    // Only the plain user made above.
    expect(Number(after.n)).toBe(Number(before.n) + 1);

    // Extra fields are ignored, as everywhere in the API: an invitation cannot carry a password or superuser status.
    const to = email();
    const extra = await invite(staff, { email: to, password: 'chosen by the admin 1', is_superuser: true, email_verified: true });
    expect(extra.statusCode).toBe(201);
    expect(extra.json().user).toMatchObject({ is_superuser: false, email_verified: false });
    expect((await login(to, 'chosen by the admin 1')).statusCode).toBe(401);
  });

  it('the console page sends an invitation and shows the field errors', async () => {
    const { cookie, csrf } = await consoleLogin(app, staff.username);
    const page = await app.request({ method: 'GET', url: '/admin/users/invite', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Send invitation');
    expect(page.body).not.toContain('name="is_staff"');
    const to = email();
    const sent = await app.request({ method: 'POST', url: '/admin/users/invite', payload: form({ _csrf: csrf, email: to, first_name: 'Olu' }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/admin\/users\/\d+\?notice=invited$/);
    expect((await lastMail(to, 'invitation')).token).toBeTruthy();
    const bad = await app.request({ method: 'POST', url: '/admin/users/invite', payload: form({ _csrf: csrf, email: 'nope' }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Please correct the errors below.');
    const forged = await app.request({ method: 'POST', url: '/admin/users/invite', payload: form({ email: email() }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forged.statusCode).toBe(403);
  });

  it('the link expires after invite_ttl', async () => {
    await app.core.settings.update({ invite_ttl: 3600 }, null);
    try {
      const to = email();
      await invite(staff, { email: to });
      const { token, row } = await lastMail(to, 'invitation');
      expect(row.text_body).toContain('1 days');
      app.clock.advance(3601);
      expect((await setPassword(token, chosen)).statusCode).toBe(400);
    } finally {
      await app.core.settings.update({ invite_ttl: 7 * 86400 }, null);
    }
  });
});
