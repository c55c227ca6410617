import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { approve, compatApp, countUsers, expectDrfJson, strong } from './support.js';

/**
 * Seed 002 as its deployed code answers (../shared/seed-behaviour.md, "Seed 002"): the `auth/`
 * paths, 400 `{"detail": [...]}` login errors, null for unset fields, 201 and `detail` on the reset
 * flow, and a 5-digit code. One test per row a client can observe.
 */

/** The code in the newest reset mail to `to`. */
async function mailedCode(app: TestApp, to: string): Promise<string> {
  const mail = await app.core.db.selectFrom('outbox').select('text_body').where('to_addr', '=', to).where('kind', '=', 'password_reset').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /Your code: (\d+)/.exec(mail.text_body)![1]!;
}

async function setActive(app: TestApp, userId: number, active: boolean): Promise<void> {
  await app.core.db.updateTable('users').set({ is_active: active ? 1 : 0 }).where('id', '=', userId).execute();
  await app.core.users.invalidate(userId);
}

describe.each(backends)('compat jwt-otp, the seed\'s code (seed 002) on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await compatApp(backend, 'jwt-otp');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown, token?: string) => app.request({ method: 'POST', url, payload, token });
  const idOf = async (email: string) => (await app.core.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  /** Registers through the seed's real path and activates the account. */
  const activeUser = async (email: string) => {
    const res = await post('/auth/register/', { email, username: 'someone', password: strong });
    expect(res.statusCode, res.body).toBe(201);
    const id = await idOf(email);
    await approve(app, id);
    return id;
  };
  const logIn = async (email: string, url = '/auth/login/') => {
    const res = await post(url, { email, password: strong });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().token as { access: string; refresh: string };
  };

  it('paths: /auth/register/, /auth/login/ and /auth/user/ (the code\'s) and /api/… (the README\'s) are the same views', async () => {
    await activeUser('paths@example.com');
    for (const url of ['/auth/login/', '/auth/login', '/api/login/']) {
      const { access } = await logIn('paths@example.com', url);
      for (const userUrl of ['/auth/user/', '/auth/user', '/api/user/']) {
        const me = await app.request({ method: 'GET', url: userUrl, token: access });
        expect(me.statusCode, `${url} then ${userUrl}`).toBe(200);
        expect(me.json().email).toBe('paths@example.com');
      }
    }
    const { access } = await logIn('paths@example.com');
    const patched = await app.request({ method: 'PATCH', url: '/auth/user/', token: access, payload: { username: 'Renamed' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await app.request({ method: 'GET', url: '/api/user/', token: access })).json().username).toBe('Renamed');
    expect((await post('/auth/register', { email: 'noslash@example.com', password: strong })).statusCode).toBe(201);
    const put = await app.request({ method: 'PUT', url: '/auth/user/', token: access, payload: {} });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, PATCH');
    expect((await app.request({ method: 'GET', url: '/auth/user/' })).statusCode, 'SimpleJWT\'s 401 without a token').toBe(401);
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/auth/register/', '/auth/login/', '/api/register/', '/api/login/']) expect(spec.paths[path].post.tags, path).toEqual(['compat: jwt-otp']);
    expect(spec.paths['/auth/user/'].get.tags).toEqual(['compat: jwt-otp']);
  });

  it('register: 201 with every seed field, absent ones null; a taken email is {"detail": [...]}', async () => {
    const res = await post('/auth/register/', { email: 'nulls@example.com', password: strong });
    expect(res.statusCode, res.body).toBe(201);
    expectDrfJson(res);
    expect(res.json()).toEqual({ email: 'nulls@example.com', username: null, phoneNumber: null, image: null, dateBirth: null, gender: null, is_activated: false });
    const before = await countUsers(app);
    for (const url of ['/auth/register/', '/api/register/']) {
      const taken = await post(url, { email: 'nulls@example.com', password: strong });
      expect(taken.statusCode, url).toBe(400);
      expect(taken.json(), url).toEqual({ detail: ['The user email had been used, try another email'] });
    }
    // The seed runs validate() (the email check) only once the fields are valid: field errors alone answer then.
    const both = await post('/auth/register/', { email: 'nulls@example.com', password: strong, dateBirth: '1999-13-45' });
    expect(both.json()).toEqual({ dateBirth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] });
    expect(await countUsers(app)).toBe(before);
  });

  it('login: 200 with detail, data and token', async () => {
    await activeUser('fine@example.com');
    const res = await post('/auth/login/', { email: 'fine@example.com', password: strong });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ detail: 'Logged in Successfully', data: { email: 'fine@example.com', is_activated: true }, token: { access: expect.any(String), refresh: expect.any(String) } });
  });

  it('login: wrong password, unknown and disabled accounts are one 400 {"detail": ["The email or password is not valid ."]}', async () => {
    const id = await activeUser('refused@example.com');
    const notValid = { detail: ['The email or password is not valid .'] };
    const attempts = [{ email: 'refused@example.com', password: 'wrong password' }, { email: 'nobody@example.com', password: strong }];
    for (const payload of attempts) {
      const res = await post('/auth/login/', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['www-authenticate'], 'no challenge: a 401 would set off refresh-or-logout interceptors').toBeUndefined();
      expectDrfJson(res);
      expect(res.json()).toEqual(notValid);
    }
    await setActive(app, id, false);
    const disabled = await post('/auth/login/', { email: 'refused@example.com', password: strong });
    expect(disabled.statusCode).toBe(400);
    expect(disabled.json()).toEqual(notValid);
    await setActive(app, id, true);
  });

  it('login: not activated is 400 {"detail": ["the user is not activated"]}', async () => {
    expect((await post('/auth/register/', { email: 'waiting@example.com', password: strong })).statusCode).toBe(201);
    const res = await post('/auth/login/', { email: 'waiting@example.com', password: strong });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: ['the user is not activated'] });
  });

  it('attack: a locked account answers exactly like a wrong password, even with the right one', async () => {
    await activeUser('locked@example.com');
    const threshold = app.core.settings.get('lockout_threshold');
    await app.core.settings.update({ lockout_threshold: 3 }, null);
    try {
      const wrong = [];
      for (let i = 0; i < 3; i++) wrong.push(await post('/auth/login/', { email: 'locked@example.com', password: `wrong ${i}` }));
      const right = await post('/auth/login/', { email: 'locked@example.com', password: strong });
      for (const res of [...wrong, right]) {
        expect(res.statusCode).toBe(400);
        expect(res.body).toBe(JSON.stringify({ detail: ['The email or password is not valid .'] }));
      }
      expect((await app.core.db.selectFrom('users').select('locked_until').where('email', '=', 'locked@example.com').executeTakeFirstOrThrow()).locked_until, 'the lock held').not.toBeNull();
    } finally {
      await app.core.settings.update({ lockout_threshold: threshold }, null);
    }
  });

  it('refresh: an unusable token is SimpleJWT\'s 401 {"detail": "Token is invalid or expired"}, one over 512 characters too, never a 400', async () => {
    for (const refresh of ['made-up', 'x'.repeat(600)]) {
      const res = await post('/auth/refresh/', { refresh });
      expect(res.statusCode, `${refresh.length} characters: ${res.body}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
      expectDrfJson(res);
      expect(res.json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    }
  });

  it('refresh: an access token presented for refresh is SimpleJWT\'s 401 {"detail": "Token has wrong type"}', async () => {
    await activeUser('refreshtype@example.com');
    const { access, refresh } = await logIn('refreshtype@example.com');
    const res = await post('/auth/refresh/', { refresh: access });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expectDrfJson(res);
    expect(res.json()).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' });
    const ok = await post('/auth/refresh/', { refresh });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ access: expect.any(String) });
  });

  it('email_request: 201 {user, token} (and the README\'s message); the mailed code has 5 digits; a malformed address is {"detail": ["the email is not valid"]}', async () => {
    await activeUser('five@example.com');
    const res = await post('/auth/email_request/', { email: 'five@example.com' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ user: 'five@example.com', token: expect.any(String), message: 'Password reset link sent to email.' });
    expect(await mailedCode(app, 'five@example.com')).toMatch(/^\d{5}$/);
    const native = await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: 'five@example.com' } });
    expect(native.statusCode, native.body).toBeLessThan(300);
    expect(await mailedCode(app, 'five@example.com'), 'the native API keeps the otp_length setting').toMatch(new RegExp(`^\\d{${app.core.settings.get('otp_length')}}$`));
    const malformed = await post('/auth/email_request/', { email: 'not an address' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ detail: ['the email is not valid'] });
    const missing = await post('/auth/email_request/', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ email: ['This field is required.'] });
  });

  it('check_otp: 200 {"detail": "The OTP is valid ."} (and the README\'s message); its errors are {"detail": "…"} strings', async () => {
    await activeUser('otp@example.com');
    const { token } = (await post('/auth/email_request/', { email: 'otp@example.com' })).json();
    const code = await mailedCode(app, 'otp@example.com');
    const missing = await post('/auth/check_otp/', { token });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ detail: 'The otp and reset password token is required' });
    const wrong = await post('/auth/check_otp/', { token, otp: code === '00000' ? '11111' : '00000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ detail: 'The OTP is not valid' });
    const asNumber = await post('/auth/check_otp/', { token, otp: 12345 });
    expect(asNumber.statusCode).toBe(400);
    expect(asNumber.json()).toEqual({ detail: 'The OTP is not valid' });
    const ok = await post('/auth/check_otp/', { token, otp: code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ detail: 'The OTP is valid .', message: 'OTP is valid.' });
    // Checked already: the seed has no request left to check.
    const again = await post('/auth/check_otp/', { token, otp: code });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ detail: 'The OTP is not found' });
    // A token for an unknown address reads like a wrong code, not "not found", so it tells no one which addresses exist.
    const { token: decoy } = (await post('/auth/email_request/', { email: 'nobody-here@example.com' })).json();
    const guessed = await post('/auth/check_otp/', { token: decoy, otp: '12345' });
    expect(guessed.statusCode).toBe(400);
    expect(guessed.json()).toEqual({ detail: 'The OTP is not valid' });
  });

  it('reset_password: 201 {"detail": "The Password reseted successfully ."} (and the README\'s message); an unchecked token is {"detail": ["The token is not valid"]}', async () => {
    await activeUser('reset@example.com');
    const { token } = (await post('/auth/email_request/', { email: 'reset@example.com' })).json();
    const early = await post('/auth/reset_password/', { token, new_password: 'another sturdy one 9' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toEqual({ detail: ['The token is not valid'] });
    expect((await post('/auth/check_otp/', { token, otp: await mailedCode(app, 'reset@example.com') })).statusCode).toBe(200);
    const res = await post('/auth/reset_password/', { token, new_password: 'another sturdy one 9' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ detail: 'The Password reseted successfully .', message: 'The Password has been reset successfully.' });
    const again = await post('/auth/reset_password/', { token, new_password: 'and yet another one 7' });
    expect(again.json(), 'a used token').toEqual({ detail: ['The token is not valid'] });
    expect((await post('/auth/login/', { email: 'reset@example.com', password: 'another sturdy one 9' })).statusCode).toBe(200);
  });

  it('user: GET answers unset fields as null; PATCH with a taken email is {"detail": [...]}', async () => {
    await activeUser('bare@example.com');
    await activeUser('other@example.com');
    const { access } = await logIn('bare@example.com');
    await app.request({ method: 'PATCH', url: '/auth/user/', token: access, payload: { username: '' } });
    const me = await app.request({ method: 'GET', url: '/auth/user/', token: access });
    expect(me.json()).toEqual({ email: 'bare@example.com', username: null, phoneNumber: null, image: null, dateBirth: null, gender: null, is_activated: true });
    const taken = await app.request({ method: 'PATCH', url: '/auth/user/', token: access, payload: { email: 'other@example.com' } });
    expect(taken.statusCode).toBe(400);
    expect(taken.json()).toEqual({ detail: ['The user email had been used, try another email'] });
    expect((await app.request({ method: 'GET', url: '/auth/user/', token: access })).json().email, 'nothing written').toBe('bare@example.com');
  });
});
