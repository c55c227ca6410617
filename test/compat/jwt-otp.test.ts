import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { tinyPng } from '../support/png.js';
import { acceptWeakPasswords, approve, compatApp, expectBadBodiesRefused, countUsers, expectDrfJson, expectNoSecrets, restoreDefaultPolicy, strong } from './support.js';

/** The code in the newest reset mail to `to` (as the outbox holds it). */
async function mailedCode(app: TestApp, to: string): Promise<string> {
  const mail = await app.core.db.selectFrom('outbox').select('text_body').where('to_addr', '=', to).where('kind', '=', 'password_reset').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /Your code: (\d+)/.exec(mail.text_body)![1]!;
}

describe.each(backends)('compat jwt-otp (seed 002) on %s', (backend) => {
  let app: TestApp;
  let userId: number;
  let tokens: { access: string; refresh: string };
  let resetToken: string;
  beforeAll(async () => {
    app = await compatApp(backend, 'jwt-otp');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown, token?: string) => app.request({ method: 'POST', url, payload, token });
  const registerWithProfile = async (email: string, extra: Record<string, string> = {}) => {
    const res = await post('/api/register/', { email, username: 'someone', password: strong, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return (await app.core.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  };
  const logIn = async (email: string, password = strong) => (await post('/api/login/', { email, password })).json().token as { access: string; refresh: string };

  describe('README examples', () => {
    beforeAll(() => acceptWeakPasswords(app));
    afterAll(() => restoreDefaultPolicy(app));

    it('1. register: POST /api/register/ (multipart, with an image) answers the profile, not yet activated', async () => {
      const { payload, headers } = multipartBody({
        email: 'mona@example.com', username: 'Mona', password: 'pass', phoneNumber: '+20 100 000 0000', dateBirth: '1999-05-01', gender: 'female',
        image: { filename: 'me.png', contentType: 'image/png', data: tinyPng() },
      });
      const res = await app.request({ method: 'POST', url: '/api/register/', payload, headers });
      expect(res.statusCode, res.body).toBe(201);
      expectDrfJson(res);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['dateBirth', 'email', 'gender', 'image', 'is_activated', 'phoneNumber', 'username']);
      expect(body).toMatchObject({ email: 'mona@example.com', username: 'Mona', phoneNumber: '+20 100 000 0000', dateBirth: '1999-05-01', gender: 'female', is_activated: false });
      expect(body.image).toMatch(/^http:\/\/.+\/v1\/users\/\d+\/avatar$/);
      const image = await app.request({ method: 'GET', url: new URL(body.image).pathname });
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expectNoSecrets(res.body, 'pass');
      userId = (await app.core.db.selectFrom('users').select('id').where('email', '=', 'mona@example.com').executeTakeFirstOrThrow()).id;
      expect((await post('/api/login/', { email: 'mona@example.com', password: 'pass' })).json()).toEqual({ detail: ['the user is not activated'] });
    });

    it('2. login: POST /api/login/ (once activated) answers detail, data and the token pair', async () => {
      await approve(app, userId);
      const res = await post('/api/login/', { email: 'mona@example.com', password: 'pass' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toEqual({ detail: 'Logged in Successfully', data: { email: 'mona@example.com', is_activated: true }, token: { access: expect.any(String), refresh: expect.any(String) } });
      tokens = body.token;
    });

    it('3. refresh: POST /auth/refresh/ answers a new access token', async () => {
      const res = await post('/auth/refresh/', { refresh: tokens.refresh });
      expect(res.statusCode, res.body).toBe(200);
      expect(Object.keys(res.json())).toEqual(['access']);
      expect((await app.request({ method: 'GET', url: '/api/user/', token: res.json().access })).statusCode).toBe(200);
    });

    it('7. user: GET /api/user/ answers the profile, activated', async () => {
      const res = await app.request({ method: 'GET', url: '/api/user/', token: tokens.access });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ email: 'mona@example.com', username: 'Mona', phoneNumber: '+20 100 000 0000', dateBirth: '1999-05-01', gender: 'female', is_activated: true });
      expect(res.json().image).toMatch(/\/avatar$/);
    });

    it('8. user: PATCH /api/user/ updates the fields and answers the profile', async () => {
      const res = await app.request({
        method: 'PATCH', url: '/api/user/', token: tokens.access,
        payload: { email: 'mona.new@example.com', username: 'Mona L.', phoneNumber: '+20 111 111 1111', dateBirth: '1998-12-31', gender: 'f' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ email: 'mona.new@example.com', username: 'Mona L.', phoneNumber: '+20 111 111 1111', dateBirth: '1998-12-31', gender: 'f', is_activated: true });
      expect(res.json().image).toMatch(/\/avatar$/);
    });

    it('4. email_request: POST /auth/email_request/ answers a token and the message (201 and `user` too, as the seed\'s code)', async () => {
      const res = await post('/auth/email_request/', { email: 'mona.new@example.com' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ user: 'mona.new@example.com', token: expect.any(String), message: 'Password reset link sent to email.' });
      resetToken = res.json().token;
    });

    it('5. check_otp: POST /auth/check_otp/ with the mailed code answers "OTP is valid."', async () => {
      const res = await post('/auth/check_otp/', { token: resetToken, otp: await mailedCode(app, 'mona.new@example.com') });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ detail: 'The OTP is valid .', message: 'OTP is valid.' });
    });

    it('6. reset_password: POST /auth/reset_password/ sets the password and ends the sessions', async () => {
      const res = await post('/auth/reset_password/', { token: resetToken, new_password: 'new pass' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ detail: 'The Password reseted successfully .', message: 'The Password has been reset successfully.' });
      expect((await post('/api/login/', { email: 'mona.new@example.com', password: 'new pass' })).statusCode).toBe(200);
      expect((await post('/auth/refresh/', { refresh: tokens.refresh })).statusCode, 'sessions ended').toBe(401);
      expect((await app.request({ method: 'GET', url: '/api/user/', token: tokens.access })).statusCode).toBe(401);
    });
  });

  it('refresh tokens are not rotated: the same one keeps working, past any grace window', async () => {
    const id = await registerWithProfile('steady@example.com');
    await approve(app, id);
    const { refresh } = await logIn('steady@example.com');
    for (let i = 0; i < 3; i++) {
      app.clock.advance(60);
      const res = await post('/auth/refresh', { refresh });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await post('/auth/refresh/', { refresh: 'made-up' })).json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    const native = await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: refresh } });
    expect(native.statusCode, 'the native API may rotate it').toBe(200);
    expect((await post('/auth/refresh/', { refresh })).statusCode, 'a rotated token is spent').toBe(401);
    const rotating = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'steady@example.com', password: strong } })).json();
    expect((await post('/auth/refresh/', { refresh: rotating.refresh_token })).statusCode, 'a rotating session\'s token cannot dodge rotation here').toBe(401);
  });

  it('refuses a wrong password with the seed\'s 400 and an unknown email alike', async () => {
    for (const payload of [{ email: 'steady@example.com', password: 'wrong password' }, { email: 'nobody@example.com', password: strong }]) {
      const res = await post('/api/login/', payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.json()).toEqual({ detail: ['The email or password is not valid .'] });
    }
  });

  it('reset: unknown emails get a token too; wrong codes are limited; no reset before the code is checked', async () => {
    const decoy = await post('/auth/email_request/', { email: 'ghost@example.com' });
    expect(decoy.statusCode).toBe(201);
    expect(decoy.json()).toEqual({ user: 'ghost@example.com', token: expect.any(String), message: 'Password reset link sent to email.' });
    expect((await post('/auth/check_otp/', { token: decoy.json().token, otp: '123456' })).statusCode).toBe(400);

    await approve(app, await registerWithProfile('forgetful@example.com'));
    const { token } = (await post('/auth/email_request/', { email: 'forgetful@example.com' })).json();
    const early = await post('/auth/reset_password/', { token, new_password: 'another sturdy one 9' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toEqual({ detail: ['The token is not valid'] });
    const code = await mailedCode(app, 'forgetful@example.com');
    const wrong = code === '00000' ? '11111' : '00000';
    const max = app.core.settings.get('otp_max_attempts');
    for (let i = 0; i < max; i++) {
      const res = await post('/auth/check_otp/', { token, otp: wrong });
      expect(res.statusCode).toBe(400);
      expectDrfJson(res);
    }
    expect((await post('/auth/check_otp/', { token, otp: code })).statusCode, 'attempts used up').toBe(400);
    expect((await post('/api/login/', { email: 'forgetful@example.com', password: strong })).statusCode).toBe(200);
  });

  it('takes form bodies; renames field errors to the seed\'s names; refuses bad images before writing', async () => {
    const before = await countUsers(app);
    const bad = await app.request({ method: 'POST', url: '/api/register', ...formBody({ email: 'f@example.com', password: strong, phoneNumber: 'call me', dateBirth: '1999-13-45' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ phoneNumber: ['Enter a valid phone number.'], dateBirth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] });
    const notImage = multipartBody({ email: 'img@example.com', password: strong, image: { filename: 'x.png', contentType: 'image/png', data: Buffer.from('not an image at all') } });
    const res = await app.request({ method: 'POST', url: '/api/register/', ...notImage });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json())).toEqual(['image']);
    const asText = await post('/api/register/', { email: 'img@example.com', password: strong, image: '<image>' });
    expect(asText.json()).toEqual({ image: ['The submitted data was not a file. Check the encoding type on the form.'] });
    expect(await countUsers(app)).toBe(before);
    const ok = await app.request({ method: 'POST', url: '/api/register/', ...formBody({ email: 'f@example.com', password: strong, dateBirth: '' }) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ username: null, phoneNumber: null, gender: null, image: null, dateBirth: null, is_activated: false });
  });

  it('PATCH with multipart replaces the image; null removes it; taken emails are refused', async () => {
    const id = await registerWithProfile('pic@example.com');
    await approve(app, id);
    const { access } = await logIn('pic@example.com');
    const upload = multipartBody({ image: { filename: 'a.png', contentType: 'image/png', data: tinyPng(3, 3) } });
    const withImage = await app.request({ method: 'PATCH', url: '/api/user/', token: access, ...upload });
    expect(withImage.statusCode, withImage.body).toBe(200);
    expect(withImage.json().image).toMatch(/\/avatar$/);
    expect((await app.request({ method: 'PATCH', url: '/api/user', token: access, payload: { image: null } })).json().image).toBeNull();
    const taken = await app.request({ method: 'PATCH', url: '/api/user/', token: access, payload: { email: 'steady@example.com' } });
    expect(taken.statusCode).toBe(400);
    expect(taken.json()).toEqual({ detail: ['The user email had been used, try another email'] });
    expect((await app.request({ method: 'PUT', url: '/api/user/', token: access, payload: {} })).statusCode).toBe(405);
  });

  it('answers unauthenticated /api/user/ with SimpleJWT\'s 401', async () => {
    const res = await app.request({ method: 'GET', url: '/api/user/' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('refuses bad input on every route with a 4xx and writes nothing', async () => {
    const { access } = await logIn('steady@example.com');
    const before = await countUsers(app);
    for (const url of ['/api/register/', '/api/login/', '/auth/refresh/', '/auth/email_request/', '/auth/check_otp/', '/auth/reset_password/']) await expectBadBodiesRefused(app, 'POST', url);
    await expectBadBodiesRefused(app, 'PATCH', '/api/user/', { authorization: `Bearer ${access}` });
    expect(await countUsers(app)).toBe(before);
    expect((await app.request({ method: 'GET', url: '/api/user/', token: access })).json().email).toBe('steady@example.com');
  });

  it('lists its routes under their own tag in the OpenAPI docs', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/register/', '/api/login/', '/auth/refresh/', '/auth/email_request/', '/auth/check_otp/', '/auth/reset_password/']) {
      expect(spec.paths[path].post.tags, path).toEqual(['compat: jwt-otp']);
    }
    expect(spec.paths['/api/user/'].patch.tags).toEqual(['compat: jwt-otp']);
  });
});

describe('compat jwt-otp activation default', () => {
  it('is admin activation with the profile, unless GATEHOUSE_ACTIVATION says otherwise', async () => {
    const app = await compatApp('sqlite', 'jwt-otp', { GATEHOUSE_ACTIVATION: 'none' });
    try {
      expect(app.core.settings.get('activation_mode')).toBe('none');
      const res = await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'open@example.com', password: strong } });
      expect(res.json().is_activated).toBe(true);
      expect((await app.request({ method: 'POST', url: '/api/login/', payload: { email: 'open@example.com', password: strong } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const withDefault = await compatApp('sqlite', 'jwt-otp');
    try {
      expect(withDefault.core.settings.get('activation_mode')).toBe('admin');
    } finally {
      await withDefault.close();
    }
  });
});

describe('compat refresh within session limits', () => {
  it('an access token from a non-rotating refresh never outlives its session', async () => {
    const app = await compatApp('sqlite', 'jwt-otp', { GATEHOUSE_ACTIVATION: 'none', GATEHOUSE_SESSION_MAX: '10m' });
    try {
      await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'short@example.com', password: strong } });
      const started = app.clock.now();
      const { refresh } = (await app.request({ method: 'POST', url: '/api/login/', payload: { email: 'short@example.com', password: strong } })).json().token;
      app.clock.advance(400);
      const res = await app.request({ method: 'POST', url: '/auth/refresh/', payload: { refresh } });
      expect(res.statusCode, res.body).toBe(200);
      expect(decodeJwt(res.json().access).exp! * 1000).toBeLessThanOrEqual(started + 600_000);
      app.clock.advance(201);
      expect((await app.request({ method: 'POST', url: '/auth/refresh/', payload: { refresh } })).statusCode, 'the session is over').toBe(401);
    } finally {
      await app.close();
    }
  });
});
