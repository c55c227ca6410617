import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { compatApp } from '../compat/support.js';
import { password } from './support.js';

// One app with the seed-000 drf-token profile on top of the native API: native `gh_` tokens and
// DRF 40-hex login keys live in the same table and must end the same way.
describe.each(backends)('end access on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp(backend, 'drf-token');
  });
  afterAll(async () => {
    await app?.close();
  });

  const me = (apiKey: string) => app.request({ method: 'GET', url: '/v1/me', apiKey });
  const drfProfile = (apiKey: string) => app.request({ method: 'POST', url: '/view_profile/', apiKey });
  const newPassword = 'another sturdy passphrase 77';

  /** A signed-up account holding a native API token and a DRF login key. */
  async function holder(fields: Record<string, unknown> = {}) {
    const signed = await app.signUp(fields);
    const created = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: signed.access_token, payload: { name: 'bot', current_password: password } });
    expect(created.statusCode, created.body).toBe(201);
    const login = await app.request({ method: 'POST', url: '/login/', payload: { username: signed.user.username, password } });
    expect(login.statusCode, login.body).toBe(200);
    const apiKey = created.json().key as string;
    const loginKey = login.json().token as string;
    expect((await me(apiKey)).statusCode).toBe(200);
    expect((await drfProfile(loginKey)).statusCode).toBe(200);
    return { ...signed, apiKey, loginKey };
  }

  /** The owner's reset link token from the newest reset mail sent to `email`. */
  async function mailedResetToken(email: string): Promise<string> {
    const res = await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email } });
    expect(res.statusCode).toBe(202);
    const mail = await app.core.db.selectFrom('outbox').select(['text_body']).where('to_addr', '=', email).where('kind', '=', 'password_reset').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    return decodeURIComponent(/token=([A-Za-z0-9_%.-]+)/.exec(mail.text_body)![1]);
  }

  async function resetByMail(email: string) {
    const reset_token = await mailedResetToken(email);
    const res = await app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: newPassword } });
    expect(res.statusCode, res.body).toBe(204);
  }

  it('attack: API token and DRF login key survive a password reset', async () => {
    const h = await holder();
    await resetByMail(h.user.email);
    expect((await me(h.apiKey)).statusCode).toBe(401);
    expect((await drfProfile(h.loginKey)).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: h.access_token })).statusCode).toBe(401);
    const left = await app.core.db.selectFrom('api_tokens').select('id').where('user_id', '=', h.user.id).execute();
    expect(left).toEqual([]);
  });

  it('attack: API token and DRF login key survive a password change', async () => {
    const h = await holder();
    const res = await app.request({ method: 'PUT', url: '/v1/me/password', token: h.access_token, payload: { old_password: password, new_password: newPassword } });
    expect(res.statusCode, res.body).toBe(204);
    expect((await me(h.apiKey)).statusCode).toBe(401);
    expect((await drfProfile(h.loginKey)).statusCode).toBe(401);
    // The session that made the change stays.
    expect((await app.request({ method: 'GET', url: '/v1/me', token: h.access_token })).statusCode).toBe(200);
  });

  it('attack: API token and DRF login key survive logout-all', async () => {
    const h = await holder();
    const res = await app.request({ method: 'POST', url: '/v1/auth/logout-all', token: h.access_token });
    expect(res.statusCode, res.body).toBe(200);
    expect((await me(h.apiKey)).statusCode).toBe(401);
    expect((await drfProfile(h.loginKey)).statusCode).toBe(401);
  });

  it('attack: pre-account hijack — a token minted before the owner recovers the account by reset still answers', async () => {
    const victim = `victim_${backend}_${Date.now()}@example.com`;
    // The attacker registers the victim's address first and mints credentials that need no password.
    const attacker = await holder({ email: victim });
    // The victim "recovers" the account through the mailbox it controls.
    await resetByMail(victim);
    expect((await me(attacker.apiKey)).statusCode).toBe(401);
    expect((await drfProfile(attacker.loginKey)).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: attacker.refresh_token } })).statusCode).not.toBe(200);
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: victim, password: newPassword } })).statusCode).toBe(200);
  });

  it('attack: a reset link mailed before a password change still works after it', async () => {
    const h = await holder();
    const reset_token = await mailedResetToken(h.user.email);
    const change = await app.request({ method: 'PUT', url: '/v1/me/password', token: h.access_token, payload: { old_password: password, new_password: newPassword } });
    expect(change.statusCode, change.body).toBe(204);
    const res = await app.request({ method: 'POST', url: '/v1/auth/password/reset', payload: { reset_token, new_password: 'a third sturdy passphrase 9' } });
    expect(res.statusCode, res.body).not.toBe(204);
  });

  it('the login key that changes its own password through /change_password/ keeps working; the others end', async () => {
    const h = await holder();
    const res = await app.request({ method: 'POST', url: '/change_password/', apiKey: h.loginKey, payload: { old_password: password, new_password: newPassword } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await drfProfile(h.loginKey)).statusCode).toBe(200);
    expect((await me(h.apiKey)).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: h.access_token })).statusCode).toBe(401);
  });
});
