import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { settingDefs } from '../../src/core/settings.js';
import { codeAndToken } from '../recovery/support.js';
import { approve, compatApp, strong } from './support.js';

/** How each profile whose seed replaces the email at once signs a user in and changes the email. */
interface DirectProfile {
  signUp(app: TestApp, email: string): Promise<string>;
  changeEmail(app: TestApp, access: string, email: string): ReturnType<TestApp['request']>;
}

const profiles: Record<string, DirectProfile> = {
  'jwt-otp': {
    async signUp(app, email) {
      expect((await app.request({ method: 'POST', url: '/api/register/', payload: { email, username: 'someone', password: strong } })).statusCode).toBe(201);
      const row = await app.core.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      await approve(app, Number(row.id));
      return (await app.request({ method: 'POST', url: '/api/login/', payload: { email, password: strong } })).json().token.access as string;
    },
    changeEmail: (app, token, email) => app.request({ method: 'PATCH', url: '/api/user/', token, payload: { email } }),
  },
  'jwt-uuid-refresh': {
    async signUp(app, email) {
      expect((await app.request({ method: 'POST', url: '/api/register/', payload: { email, password: strong } })).statusCode).toBe(201);
      return (await app.request({ method: 'POST', url: '/api/login/', payload: { email, password: strong } })).json().access_token as string;
    },
    changeEmail: (app, token, email) => app.request({ method: 'PUT', url: '/api/me/', token, payload: { email } }),
  },
};

const cases = backends.flatMap((backend) => Object.keys(profiles).map((profile) => [backend, profile] as const));

describe.each(cases)('direct email change on %s, profile %s', (backend, profile) => {
  const p = profiles[profile]!;
  let app: TestApp;
  let n = 0;
  beforeAll(async () => {
    app = await compatApp(backend, profile);
  });
  afterAll(async () => {
    await app?.close();
  });

  const fresh = () => `direct-${profile}-${++n}@example.com`;
  const mails = (to: string, kind: string) => app.core.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).where('kind', '=', kind).orderBy('id').execute();
  const resetWithLink = (reset_token: string) => app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: 'taken over by mallory 9' } });

  it('attack: a reset link mailed to the old address still works after a direct email change', async () => {
    const old = fresh();
    const access = await p.signUp(app, old);
    expect((await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: old } })).statusCode).toBeLessThan(300);
    const [mail] = await mails(old, 'password_reset');
    const { token } = codeAndToken(mail!.text_body);
    const moved = fresh();
    const res = await p.changeEmail(app, access, moved);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().email, 'the seed replaces the email at once, no password asked').toBe(moved);
    const reset = await resetWithLink(token);
    expect(reset.statusCode, reset.body).toBe(400);
    expect(reset.json().code).toBe('reset_token_invalid');
    // The password is still the owner's.
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: moved, password: strong } })).statusCode).toBe(200);
  });

  it('attack: a direct email change sends no notice', async () => {
    const old = fresh();
    const access = await p.signUp(app, old);
    const moved = `zed-${n}@newhost.org`;
    expect((await p.changeEmail(app, access, moved)).statusCode).toBe(200);
    const notices = await mails(old, 'email_change_notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text_body).toContain('z***@n***.org');
    expect(notices[0]!.text_body).not.toContain(moved);
    expect(notices[0]!.html_body).not.toContain(moved);
    expect(await mails(moved, 'email_change_notice'), 'the notice goes to the old address only').toHaveLength(0);
    // No change, no notice.
    expect((await p.changeEmail(app, access, moved)).statusCode).toBe(200);
    expect(await mails(old, 'email_change_notice')).toHaveLength(1);
  });

  it('email changes through the profile count against the per-account limit', async () => {
    await app.core.settings.update({ rate_email_change_account: 2 }, null);
    try {
      const access = await p.signUp(app, fresh());
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await p.changeEmail(app, access, fresh())).statusCode);
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await app.core.settings.update({ rate_email_change_account: settingDefs.rate_email_change_account.max }, null);
    }
  });

  if (profile === 'jwt-otp') {
    it('attack: a reset code mailed to the old address still works after a direct email change (seed 002 flow)', async () => {
      const old = fresh();
      const access = await p.signUp(app, old);
      const post = (url: string, payload: unknown) => app.request({ method: 'POST', url, payload });
      // One request checked before the change (a grant in hand), one not yet.
      const checked = (await post('/auth/email_request/', { email: old })).json().token as string;
      const checkedCode = codeAndToken((await mails(old, 'password_reset')).at(-1)!.text_body).code;
      expect((await post('/auth/check_otp/', { token: checked, otp: checkedCode })).statusCode).toBe(200);
      const pending = (await post('/auth/email_request/', { email: old })).json().token as string;
      const pendingCode = codeAndToken((await mails(old, 'password_reset')).at(-1)!.text_body).code;
      expect((await p.changeEmail(app, access, fresh())).statusCode).toBe(200);
      expect((await post('/auth/reset_password/', { token: checked, new_password: 'taken over by mallory 9' })).statusCode).toBe(400);
      expect((await post('/auth/check_otp/', { token: pending, otp: pendingCode })).statusCode).toBe(400);
      expect((await post('/auth/reset_password/', { token: pending, new_password: 'taken over by mallory 9' })).statusCode).toBe(400);
    });
  }
});
