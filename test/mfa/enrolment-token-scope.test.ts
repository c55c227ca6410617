import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolmentRoutes } from '../../src/http/mfa-enrolment.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { expectProblem } from '../recovery/support.js';
import { testPassword } from '../support/passwords.js';

const day = 86_400;

/**
 * The enrolment-only token of a login past its "require a second factor" grace (the /account page now
 * holds one in memory, issue 13/16) is worth exactly the enrolment routes: everywhere else it changes
 * nothing and reads nothing.
 */
describe.each(backends)('the enrolment-only token on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function overdue() {
    const { user } = await app.signUp();
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: 0 }, null);
    const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.username, password: testPassword } });
    expectProblem(res, 403, 'mfa_enrolment_required');
    return { user: user as { id: number; username: string; email: string }, token: res.json().enrolment_token as string };
  }

  it('attack: it cannot mint an API token, edit the profile, change the password or email, delete the account or read the profile', async () => {
    try {
      const { user, token } = await overdue();
      const refused: [string, string, unknown][] = [
        ['POST', '/v1/me/api-tokens', { name: 'backdoor', current_password: testPassword }],
        ['PATCH', '/v1/me', { first_name: 'Mallory', locale: 'fr' }],
        ['PATCH', '/v1/me', { email: `other_${user.email}`, current_password: testPassword }],
        ['PUT', '/v1/me/password', { old_password: testPassword, new_password: 'an0ther-Passw0rd!' }],
        ['DELETE', '/v1/me', { password: testPassword }],
        ['GET', '/v1/me', undefined],
        ['GET', '/v1/me/sessions', undefined],
        ['POST', '/v1/auth/logout', undefined],
      ];
      for (const [method, url, payload] of refused) {
        expectProblem(await app.request({ method: method as 'GET', url, token, payload }), 403, 'mfa_enrolment_required');
      }
      // Nothing was written: no API token, the profile and the password as they were.
      expect(await app.store.db.selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
      const row = await app.store.db.selectFrom('users').select(['first_name', 'locale', 'email']).where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ first_name: '', email: user.email });
      expect(row.locale).not.toBe('fr');
      expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.username, password: testPassword } })).json().code).toBe('mfa_enrolment_required');
      // … while the enrolment routes still take it.
      expect((await app.request({ method: 'GET', url: '/v1/me/mfa', token })).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: 7 * day }, null);
    }
  });

  it('attack: every documented Bearer route outside the enrolment list refuses it', async () => {
    try {
      const { user, token } = await overdue();
      const doc = (await app.request({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>> };
      let swept = 0;
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
          if (!op.security?.some((s) => 'bearer' in s) || enrolmentRoutes.has(route)) continue;
          swept++;
          const res = await app.request({ method: method.toUpperCase() as 'GET', url: path.replace(/\{\w+\}/g, '1'), token, payload: method === 'get' || method === 'head' ? undefined : {} });
          // Refused (a body check may answer 400 before the credential is read), never done, never a crash.
          expect(res.statusCode, `${route}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${route}: ${res.body}`).toBeLessThan(500);
        }
      }
      expect(swept).toBeGreaterThan(20);
      expect(await app.store.db.selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    } finally {
      await app.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: 7 * day }, null);
    }
  });
});
