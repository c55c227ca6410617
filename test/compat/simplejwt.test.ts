import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { acceptWeakPasswords, compatApp, expectBadBodiesRefused, countUsers, expectDrfJson, expectNoSecrets, restoreDefaultPolicy, strong } from './support.js';

const challenge = 'Bearer realm="api"';

describe.each(backends)('compat simplejwt (seed 001) on %s', (backend) => {
  let app: TestApp;
  let pair: { access: string; refresh: string };
  beforeAll(async () => {
    app = await compatApp(backend, 'simplejwt');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown, token?: string) => app.request({ method: 'POST', url, payload, token });
  const obtain = async (email: string, password = strong) => (await post('/api/token/', { email, password })).json() as { access: string; refresh: string };

  describe('README examples', () => {
    beforeAll(() => acceptWeakPasswords(app));
    afterAll(() => restoreDefaultPolicy(app));

    it('1. register: POST /api/register/ answers 201 with id, username and email', async () => {
      // The README's payload leaves out the email its own response shows; the seed's serializer requires it.
      const res = await post('/api/register/', { username: 'admin', password: 'admin', email: 'admin@gmail.com' });
      expect(res.statusCode, res.body).toBe(201);
      expectDrfJson(res);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['email', 'id', 'username']);
      expect(body).toMatchObject({ username: 'admin', email: 'admin@gmail.com' });
      expect(Number.isInteger(body.id)).toBe(true);
      expectNoSecrets(res.body);
    });

    it('2. obtain: POST /api/token/ with "username" and "password" answers refresh and access', async () => {
      const res = await post('/api/token/', { username: 'admin@gmail.com', password: 'admin' });
      expect(res.statusCode, res.body).toBe(200);
      pair = res.json();
      expect(Object.keys(pair).sort()).toEqual(['access', 'refresh']);
      const claims = decodeJwt(pair.access);
      expect(claims).toMatchObject({ token_type: 'access', username: 'admin', email: 'admin@gmail.com', full_name: '', bio: '', image: 'default.jpg', verified: false });
      expect(claims.user_id).toBeTypeOf('number');
      expect(typeof claims.jti).toBe('string');
    });

    it('3. refresh: POST /api/token/refresh/ answers a new access token', async () => {
      const res = await post('/api/token/refresh/', { refresh: pair.refresh });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(typeof body.access).toBe('string');
      expect(body.access).not.toBe(pair.access);
      expect(decodeJwt(body.access)).toMatchObject({ token_type: 'access', username: 'admin' });
      // The seed rotates (ROTATE_REFRESH_TOKENS): the new refresh token comes along.
      expect(typeof body.refresh).toBe('string');
      pair = body;
    });

    it('4a. dashboard: GET /api/dashboard/ with a Bearer token', async () => {
      const res = await app.request({ method: 'GET', url: '/api/dashboard/', token: pair.access });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ response: 'Hey admin, You are seeing a GET response' });
    });

    it('4b. dashboard: POST /api/dashboard/ with text', async () => {
      const res = await post('/api/dashboard/', { text: 'This is my Text' }, pair.access);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ response: 'Hey admin, your text is This is my Text' });
    });
  });

  it('the default policy refuses "admin"; the email the login needs is required', async () => {
    const res = await post('/api/register/', { username: 'admin', password: 'admin' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ email: ['This field is required.'] });
    const weak = await post('/api/register/', { username: 'admin', password: 'admin', email: 'admin2@gmail.com' });
    expect(weak.statusCode).toBe(400);
    expect(Object.keys(weak.json())).toEqual(['password']);
  });

  it('lets many accounts share a free-form username; emails stay unique; password2 must match', async () => {
    const a = await post('/api/register/', { username: 'Sam', email: 'sam1@example.com', password: strong, password2: strong });
    const b = await post('/api/register/', { username: 'Sam', email: 'sam2@example.com', password: strong });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    const dupEmail = await post('/api/register/', { username: 'Other', email: 'SAM1@example.com', password: strong });
    expect(dupEmail.statusCode).toBe(400);
    expect(dupEmail.json()).toEqual({ email: ['user with this email already exists.'] });
    const mismatch = await post('/api/register/', { username: 'x', email: 'x@example.com', password: strong, password2: 'different' });
    expect(mismatch.json()).toEqual({ password: ['Password Fields Does Not Match'] });
    const sam2 = await obtain('sam2@example.com');
    const dash = await app.request({ method: 'GET', url: '/api/dashboard', token: sam2.access });
    expect(dash.json()).toEqual({ response: 'Hey Sam, You are seeing a GET response' });
  });

  it('takes form and multipart bodies; POST text from a form; no text reads "None" as in the seed', async () => {
    const reg = await app.request({ method: 'POST', url: '/api/register', ...formBody({ email: 'form@example.com', username: 'formy', password: strong }) });
    expect(reg.statusCode, reg.body).toBe(201);
    const login = await app.request({ method: 'POST', url: '/api/token', ...multipartBody({ email: 'form@example.com', password: strong }) });
    expect(login.statusCode, login.body).toBe(200);
    const { access } = login.json();
    const said = await app.request({ method: 'POST', url: '/api/dashboard/', token: access, ...formBody({ text: 'from a form' }) });
    expect(said.json()).toEqual({ response: 'Hey formy, your text is from a form' });
    expect((await post('/api/dashboard/', undefined, access)).json()).toEqual({ response: 'Hey formy, your text is None' });
  });

  it('refuses logins with SimpleJWT\'s 401 and challenge', async () => {
    await post('/api/register/', { email: 'who@example.com', password: strong });
    for (const payload of [{ email: 'who@example.com', password: 'wrong password' }, { email: 'nobody@example.com', password: strong }, { username: 'who', password: strong }]) {
      const res = await post('/api/token/', payload);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(challenge);
      expect(res.json()).toEqual({ detail: 'No active account found with the given credentials' });
    }
    expect((await post('/api/token/', {})).json()).toEqual({ password: ['This field is required.'] });
    expect((await post('/api/token/', { password: strong })).json()).toEqual({ email: ['This field is required.'] });
  });

  it('answers JWTAuthentication failures with SimpleJWT\'s bodies', async () => {
    await post('/api/register/', { email: 'jwt@example.com', username: 'jwt', password: strong });
    const { access } = await obtain('jwt@example.com');
    const none = await app.request({ method: 'GET', url: '/api/dashboard/' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe(challenge);
    expect(none.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', headers: { authorization: `Token ${access}` } })).json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    const two = await app.request({ method: 'GET', url: '/api/dashboard/', headers: { authorization: `Bearer ${access} extra` } });
    expect(two.statusCode).toBe(401);
    expect(two.json()).toEqual({ detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' });
    const bad = await app.request({ method: 'GET', url: '/api/dashboard/', token: `${access}x` });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      // SimpleJWT 5.3.1 (the seed's pin): one message for a bad and an expired token.
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
    });
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    const expired = await app.request({ method: 'GET', url: '/api/dashboard/', token: access });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().messages[0].message).toBe('Token is invalid or expired');
  });

  it('rotates refresh tokens: the new one works, the old one after the grace window ends the session', async () => {
    await post('/api/register/', { email: 'rot@example.com', password: strong });
    const first = await obtain('rot@example.com');
    const second = (await post('/api/token/refresh/', { refresh: first.refresh })).json();
    app.clock.advance(app.core.config.refreshGraceSeconds + 1);
    const third = await post('/api/token/refresh', { refresh: second.refresh });
    expect(third.statusCode).toBe(200);
    const reused = await post('/api/token/refresh/', { refresh: first.refresh });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const after = await app.request({ method: 'GET', url: '/api/dashboard/', token: third.json().access });
    expect(after.statusCode, 'reuse ended the whole session').toBe(401);
    const junk = await post('/api/token/refresh/', { refresh: 'not-a-token' });
    expect(junk.statusCode).toBe(401);
    expect(junk.json()).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    expect((await post('/api/token/refresh/', {})).json()).toEqual({ refresh: ['This field is required.'] });
  });

  it('a deactivated user cannot log in and their tokens stop working', async () => {
    const id = (await post('/api/register/', { email: 'gone@example.com', password: strong })).json().id;
    const { access, refresh } = await obtain('gone@example.com');
    await app.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', id).execute();
    await app.core.users.invalidate(id);
    expect((await post('/api/token/', { email: 'gone@example.com', password: strong })).json()).toEqual({ detail: 'No active account found with the given credentials' });
    expect((await app.request({ method: 'GET', url: '/api/dashboard/', token: access })).json()).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
    expect((await post('/api/token/refresh/', { refresh })).statusCode).toBe(401);
  });

  it('refuses bad input on every route with a 4xx and writes nothing', async () => {
    const { access } = await obtain('jwt@example.com');
    const before = await countUsers(app);
    for (const url of ['/api/register/', '/api/token/', '/api/token/refresh/', '/api/dashboard/']) await expectBadBodiesRefused(app, 'POST', url, { authorization: `Bearer ${access}` });
    expect(await countUsers(app)).toBe(before);
    expect((await app.request({ method: 'PUT', url: '/api/dashboard/' })).statusCode).toBe(405);
  });

  it('lists its routes under their own tag in the OpenAPI docs', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/api/token/'].post.tags).toEqual(['compat: simplejwt']);
    expect(spec.paths['/api/dashboard/'].get.tags).toEqual(['compat: simplejwt']);
    expect(spec.paths['/api/dashboard/'].post.tags).toEqual(['compat: simplejwt']);
  });
});

describe('simplejwt refresh within session limits', () => {
  it('the access token with profile claims never outlives its session', async () => {
    const app = await compatApp('sqlite', 'simplejwt', { GATEHOUSE_SESSION_MAX: '10m' });
    try {
      await app.request({ method: 'POST', url: '/api/register/', payload: { email: 'short@example.com', password: strong } });
      const started = app.clock.now();
      const { refresh } = (await app.request({ method: 'POST', url: '/api/token/', payload: { email: 'short@example.com', password: strong } })).json();
      app.clock.advance(400);
      const res = await app.request({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } });
      expect(res.statusCode, res.body).toBe(200);
      const claims = decodeJwt(res.json().access);
      expect(claims.exp! * 1000).toBeLessThanOrEqual(started + 600_000);
      expect(claims.email).toBe('short@example.com');
    } finally {
      await app.close();
    }
  });
});
