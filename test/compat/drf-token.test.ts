import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { acceptWeakPasswords, compatApp, expectBadBodiesRefused, countUsers, expectDrfJson, expectNoSecrets, restoreDefaultPolicy, strong } from './support.js';

const drfDateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/;

describe.each(backends)('compat drf-token (seed 000) on %s', (backend) => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await compatApp(backend, 'drf-token');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown, apiKey?: string) => app.request({ method: 'POST', url, payload, apiKey });

  describe('README examples', () => {
    beforeAll(() => acceptWeakPasswords(app));
    afterAll(() => restoreDefaultPolicy(app));

    it('1. signup: POST /signup/ answers the token and the user', async () => {
      const res = await post('/signup/', { username: 'Ahmad', password: '123', email: 'Ahmad@mail.com', first_name: 'Ahmad', last_name: 'jaber' });
      expect(res.statusCode, res.body).toBe(201);
      expectDrfJson(res);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['token', 'user']);
      expect(body.token).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.keys(body.user).sort()).toEqual(['date_joined', 'email', 'first_name', 'id', 'is_active', 'last_name', 'username']);
      expect(body.user).toMatchObject({ username: 'Ahmad', email: 'Ahmad@mail.com', first_name: 'Ahmad', last_name: 'jaber', is_active: true });
      expect(Number.isInteger(body.user.id)).toBe(true);
      expect(body.user.date_joined).toMatch(drfDateTime);
      expectNoSecrets(res.body, '123');
    });

    it('2. login: POST /login/ answers a token and the same user', async () => {
      const res = await post('/login/', { username: 'Ahmad', password: '123' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.token).toMatch(/^[0-9a-f]{40}$/);
      expect(body.user).toMatchObject({ username: 'Ahmad', email: 'Ahmad@mail.com', first_name: 'Ahmad', last_name: 'jaber', is_active: true });
      expectNoSecrets(res.body, '123');
      key = body.token;
    });

    it('4. view_profile: POST /view_profile/ with a Token answers the profile', async () => {
      const res = await post('/view_profile/', undefined, key);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ profile: { username: 'Ahmad', email: 'Ahmad@mail.com', first_name: 'Ahmad', last_name: 'jaber' } });
    });

    it('5. change_password: POST /change_password/ answers the detail; the new password logs in', async () => {
      const res = await post('/change_password/', { old_password: '123', new_password: '1234' }, key);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ detail: 'Password successfully updated.' });
      expect((await post('/login/', { username: 'Ahmad', password: '1234' })).statusCode).toBe(200);
      expect((await post('/login/', { username: 'Ahmad', password: '123' })).statusCode).toBe(400);
      expect((await post('/view_profile/', undefined, key)).statusCode, 'the token survives a password change, as in DRF').toBe(200);
    });

    it('6. dashboard: POST /dashboard/ greets the user', async () => {
      const res = await post('/dashboard/', undefined, key);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ message: 'Welcome to your dashboard, Ahmad!' });
    });

    it('3. logout: POST /logout/ answers the detail and the token stops working', async () => {
      const res = await post('/logout/', undefined, key);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ detail: 'Successfully logged out.' });
      const after = await post('/view_profile/', undefined, key);
      expect(after.statusCode).toBe(401);
      expect(after.json()).toEqual({ detail: 'Invalid token.' });
      expect(app.logs.join('\n'), 'keys and passwords are never logged').not.toContain(key);
      expect(app.logs.join('\n')).not.toContain('"1234"');
    });
  });

  it('the default policy refuses the README\'s "123" with field errors, and creates nothing', async () => {
    const before = await countUsers(app);
    const res = await post('/signup/', { username: 'weak', password: '123', email: 'weak@mail.com' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      password: ['This password is too short. It must contain at least 8 characters.', 'This password is too common.', 'This password is entirely numeric.'],
    });
    expect(await countUsers(app)).toBe(before);
  });

  it('takes form and multipart bodies, and paths without the trailing slash', async () => {
    const form = formBody({ username: 'formy', password: strong, email: 'formy@example.com' });
    const signup = await app.request({ method: 'POST', url: '/signup', ...form });
    expect(signup.statusCode, signup.body).toBe(201);
    const multi = multipartBody({ username: 'formy', password: strong });
    const login = await app.request({ method: 'POST', url: '/login/', ...multi });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().user.id).toBe(signup.json().user.id);
    expect(login.json().token, 'each login gets its own key').not.toBe(signup.json().token);
    for (const token of [signup.json().token, login.json().token]) expect((await post('/view_profile', undefined, token)).statusCode).toBe(200);
    await post('/logout', undefined, login.json().token);
    expect((await post('/dashboard/', undefined, signup.json().token)).statusCode, 'logout deletes only the key it used').toBe(200);
  });

  it('answers DRF TokenAuthentication errors with 401 and WWW-Authenticate: Token', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authentication credentials were not provided.'],
      [{ authorization: 'Bearer abc' }, 'Authentication credentials were not provided.'],
      [{ authorization: 'Token' }, 'Invalid token header. No credentials provided.'],
      [{ authorization: 'Token a b' }, 'Invalid token header. Token string should not contain spaces.'],
      [{ authorization: `Token ${'0'.repeat(40)}` }, 'Invalid token.'],
      [{ authorization: `token ${'x'.repeat(5000)}` }, 'Invalid token.'],
    ];
    for (const [headers, detail] of cases) {
      const res = await app.request({ method: 'POST', url: '/dashboard/', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Token');
      expect(res.json()).toEqual({ detail });
    }
  });

  it('refuses a wrong password and an unknown user alike with non_field_errors', async () => {
    await post('/signup/', { username: 'known', password: strong });
    const wrong = await post('/login/', { username: 'known', password: 'not the password' });
    const unknown = await post('/login/', { username: 'nobody', password: 'not the password' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    }
  });

  it('keeps usernames unique (case-insensitively) and reports missing fields per field', async () => {
    await post('/signup/', { username: 'Unique', password: strong, email: 'unique@example.com' });
    const dup = await post('/signup/', { username: 'unique', password: strong, email: 'unique@example.com' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toEqual({ username: ['A user with that username already exists.'], email: ['user with this email already exists.'] });
    const empty = await post('/signup/', {});
    expect(empty.json()).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
    const blank = await post('/login/', { username: '', password: '' });
    expect(blank.json()).toEqual({ username: ['This field may not be blank.'], password: ['This field may not be blank.'] });
    const noBody = await app.request({ method: 'POST', url: '/login/' });
    expect(noBody.statusCode).toBe(400);
    expect(Object.keys(noBody.json()).sort()).toEqual(['password', 'username']);
  });

  it('change_password with a wrong old password is a field error; the password stays', async () => {
    await post('/signup/', { username: 'changer', password: strong });
    const token = (await post('/login/', { username: 'changer', password: strong })).json().token;
    const res = await post('/change_password/', { old_password: 'wrong one here', new_password: 'another sturdy one 7' }, token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ old_password: ['Wrong password.'] });
    const weak = await post('/change_password/', { old_password: strong, new_password: '1234' }, token);
    expect(weak.statusCode).toBe(400);
    expect(Object.keys(weak.json())).toEqual(['new_password']);
    expect((await post('/login/', { username: 'changer', password: strong })).statusCode).toBe(200);
  });

  it('answers other methods with 405, an Allow header and DRF\'s detail', async () => {
    const res = await app.request({ method: 'GET', url: '/view_profile/' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.json()).toEqual({ detail: 'Method "GET" not allowed.' });
    expect((await app.request({ method: 'DELETE', url: '/signup' })).statusCode).toBe(405);
  });

  it('refuses bad input on every route with a 4xx and writes nothing', async () => {
    const before = await countUsers(app);
    const token = (await post('/login/', { username: 'changer', password: strong })).json().token;
    for (const url of ['/signup/', '/login/', '/change_password/']) await expectBadBodiesRefused(app, 'POST', url, { authorization: `Token ${token}` });
    expect(await countUsers(app)).toBe(before);
    const media = await app.request({ method: 'POST', url: '/login/', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(media.statusCode).toBe(415);
    expect(media.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    const parse = await app.request({ method: 'POST', url: '/login/', payload: '{', headers: { 'content-type': 'application/json' } });
    expect(parse.statusCode).toBe(400);
    expect(parse.json().detail).toMatch(/^JSON parse error/);
  });

  it('lists its routes under their own tag in the OpenAPI docs', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/signup/', '/login/', '/logout/', '/view_profile/', '/change_password/', '/dashboard/']) {
      expect(spec.paths[path]?.post?.tags, path).toEqual(['compat: drf-token']);
    }
    expect(spec.paths['/signup'], 'the slash-less twin is not listed twice').toBeUndefined();
  });
});
