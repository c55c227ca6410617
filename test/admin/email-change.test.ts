import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { codeAndToken } from '../recovery/support.js';
import { person, type Person } from './support.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('admin email change on %s', (backend) => {
  let app: TestApp;
  let staff: Person;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
    staff = await person(app, 'staff');
  });
  afterAll(async () => {
    await app?.close();
  });

  const mails = (to: string, kind: string) => app.core.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).where('kind', '=', kind).orderBy('id').execute();

  it('attack: a reset link mailed to the old address still works after an admin moves the email, and the old address hears nothing', async () => {
    const owner = await person(app, 'user');
    expect((await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: owner.email } })).statusCode).toBeLessThan(300);
    const [reset] = await mails(owner.email, 'password_reset');
    const { token } = codeAndToken(reset!.text_body);

    const moved = `moved-${owner.id}@example.org`;
    const res = await app.request({ method: 'PATCH', url: `/v1/admin/users/${owner.id}`, token: staff.token, payload: { email: moved } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().email).toBe(moved);

    const [notice] = await mails(owner.email, 'email_change_notice');
    expect(notice, 'the old address is told').toBeDefined();
    expect(notice!.text_body).not.toContain(moved);
    const used = await app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token: token, new_password: 'taken over by mallory 9' } });
    expect(used.statusCode).toBe(400);
    // The owner's password is unchanged.
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: owner.username, password: testPassword } })).statusCode).toBe(200);
  });

  it('a change of letter case only is not an email change', async () => {
    const owner = await person(app, 'user');
    const res = await app.request({ method: 'PATCH', url: `/v1/admin/users/${owner.id}`, token: staff.token, payload: { email: owner.email.toUpperCase() } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await mails(owner.email, 'email_change_notice')).toHaveLength(0);
  });
});
