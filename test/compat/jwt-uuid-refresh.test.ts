import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { multipartBody } from '../support/multipart.js';
import { acceptWeakPasswords, compatApp, countUsers, expectBadBodiesRefused, expectDrfJson, expectNoSecrets, restoreDefaultPolicy, strong } from './support.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(backends)('compat jwt-uuid-refresh (seed 004) on %s', (backend) => {
  let app: TestApp;
  let tokens: { access_token: string; refresh_token: string };
  beforeAll(async () => {
    app = await compatApp(backend, 'jwt-uuid-refresh');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown) => app.request({ method: 'POST', url, payload });
  const me = (token?: string) => app.request({ method: 'GET', url: '/api/me/', token });
  const signUp = async (email: string) => {
    expect((await post('/api/register/', { email, password: strong })).statusCode).toBe(201);
    return (await post('/api/login/', { email, password: strong })).json() as { access_token: string; refresh_token: string };
  };

  describe('README examples', () => {
    beforeAll(() => acceptWeakPasswords(app));
    afterAll(() => restoreDefaultPolicy(app));

    it('1. registration: POST /api/register/ with email and password answers the id and email', async () => {
      const res = await post('/api/register/', { password: 'password', email: 'user@example.com' });
      expect(res.statusCode, res.body).toBe(201);
      expectDrfJson(res);
      expect(res.json()).toEqual({ id: expect.any(Number), email: 'user@example.com' });
      expectNoSecrets(res.body, 'password');
    });

    it('2. authentication: POST /api/login/ answers access_token and a UUID refresh_token', async () => {
      const res = await post('/api/login/', { email: 'user@example.com', password: 'password' });
      expect(res.statusCode, res.body).toBe(200);
      tokens = res.json();
      expect(Object.keys(tokens).sort()).toEqual(['access_token', 'refresh_token']);
      expect(tokens.refresh_token).toMatch(uuid);
      expect(tokens.access_token.split('.')).toHaveLength(3);
    });

    it('3. refresh: POST /api/refresh/ answers a new access_token and refresh_token', async () => {
      const res = await post('/api/refresh/', { refresh_token: tokens.refresh_token });
      expect(res.statusCode, res.body).toBe(200);
      const next = res.json();
      expect(Object.keys(next).sort()).toEqual(['access_token', 'refresh_token']);
      expect(next.refresh_token).toMatch(uuid);
      expect(next.refresh_token).not.toBe(tokens.refresh_token);
      tokens = next;
    });

    it('5. personal information: GET /api/me/ with a Bearer token answers id, username and email', async () => {
      const res = await me(tokens.access_token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ id: expect.any(Number), username: null, email: 'user@example.com' });
    });

    it('6. update: PUT /api/me/ with {"username": "John Smith"} answers the updated user', async () => {
      const res = await app.request({ method: 'PUT', url: '/api/me/', token: tokens.access_token, payload: { username: 'John Smith' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ id: expect.any(Number), username: 'John Smith', email: 'user@example.com' });
      expect((await me(tokens.access_token)).json().username).toBe('John Smith');
    });

    it('4. logout: POST /api/logout/ with the refresh token confirms, and ends the session', async () => {
      const res = await post('/api/logout/', { refresh_token: tokens.refresh_token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ success: 'User logged out.' });
      expect((await post('/api/refresh/', { refresh_token: tokens.refresh_token })).json()).toEqual({ error: 'Invalid or expired refresh token' });
      expect((await me(tokens.access_token)).statusCode, 'its access token stops too').toBe(403);
      const logs = app.logs.join('\n');
      expect(logs, 'tokens are never logged').not.toContain(tokens.refresh_token);
      expect(logs).not.toContain(tokens.access_token);
    });
  });

  it('as the seed\'s tests: multipart register, {} refused, wrong login 400 with non_field_errors, anonymous /me 403', async () => {
    const reg = await app.request({ method: 'POST', url: '/api/register/', ...multipartBody({ email: 'newuser@example.com', password: strong }) });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json().email).toBe('newuser@example.com');
    const empty = await post('/api/register/', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ email: ['This field is required.'], password: ['This field is required.'] });
    const wrong = await post('/api/login/', { email: 'newuser@example.com', password: 'wrongpassword' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ non_field_errors: ['Invalid email or password'] });
    const anonymous = await me();
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.headers['www-authenticate']).toBeUndefined();
    expect(anonymous.json()).toEqual({ detail: 'Authentication credentials were not provided' });
    expect((await post('/api/login/', { email: 'not an email', password: strong })).json()).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('refresh and logout refuse a missing or malformed token with the seed\'s errors; expired tokens too', async () => {
    for (const url of ['/api/refresh/', '/api/logout/']) {
      expect((await post(url, {})).json()).toEqual({ error: 'Refresh token is required' });
      const bad = await post(url, { refresh_token: 'invalidtoken' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ error: 'Invalid refresh token format' });
    }
    const unknown = await post('/api/refresh/', { refresh_token: crypto.randomUUID() });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({ error: 'Invalid or expired refresh token' });
    expect((await post('/api/logout/', { refresh_token: crypto.randomUUID() })).json(), 'logout answers alike for unknown tokens').toEqual({ success: 'User logged out.' });
    const { refresh_token } = await signUp('expiring@example.com');
    app.clock.advance(app.core.settings.get('refresh_token_ttl') + 1);
    expect((await post('/api/refresh/', { refresh_token })).json()).toEqual({ error: 'Invalid or expired refresh token' });
  });

  it('a refresh token works once: presenting it again after rotation ends the session', async () => {
    const first = await signUp('rotating@example.com');
    const second = (await post('/api/refresh/', { refresh_token: first.refresh_token })).json();
    app.clock.advance(app.core.config.refreshGraceSeconds + 1);
    expect((await post('/api/refresh/', { refresh_token: first.refresh_token })).json()).toEqual({ error: 'Invalid or expired refresh token' });
    expect((await post('/api/refresh/', { refresh_token: second.refresh_token })).statusCode, 'the session ended').toBe(400);
  });

  it('its custom JWT authentication answers 403 with its own messages', async () => {
    const { access_token } = await signUp('headers@example.com');
    const cases: [Record<string, string>, string][] = [
      [{ authorization: `Token ${access_token}` }, 'Authorization header must start with Bearer'],
      [{ authorization: 'Bearer' }, 'Invalid Authorization header format'],
      [{ authorization: `Bearer ${access_token} x` }, 'Invalid Authorization header format'],
      [{ authorization: 'Bearer not.a.jwt' }, 'Invalid token'],
    ];
    for (const [headers, detail] of cases) {
      const res = await app.request({ method: 'GET', url: '/api/me/', headers });
      expect(res.statusCode, detail).toBe(403);
      expect(res.json()).toEqual({ detail });
    }
    app.clock.advance(app.core.settings.get('access_token_ttl') + 1);
    expect((await me(access_token)).json()).toEqual({ detail: 'Token has expired' });
  });

  it('usernames are free and shared; emails stay unique; updates are partial', async () => {
    const a = await signUp('john1@example.com');
    const b = await signUp('john2@example.com');
    for (const t of [a, b]) {
      const res = await app.request({ method: 'PUT', url: '/api/me', token: t.access_token, payload: { username: 'John Smith' } });
      expect(res.json().username).toBe('John Smith');
    }
    const taken = await app.request({ method: 'PUT', url: '/api/me/', token: b.access_token, payload: { email: 'JOHN1@example.com' } });
    expect(taken.statusCode).toBe(400);
    expect(taken.json()).toEqual({ email: ['user with this email already exists.'] });
    const moved = await app.request({ method: 'PUT', url: '/api/me/', token: b.access_token, payload: { email: 'john.two@example.com' } });
    expect(moved.json()).toEqual({ id: expect.any(Number), username: 'John Smith', email: 'john.two@example.com' });
    expect((await post('/api/login/', { email: 'john.two@example.com', password: strong })).statusCode).toBe(200);
    expect((await app.request({ method: 'PATCH', url: '/api/me/', token: b.access_token, payload: {} })).statusCode).toBe(405);
  });

  it('refuses bad input on every route with a 4xx and writes nothing', async () => {
    const { access_token } = await signUp('bad@example.com');
    const before = await countUsers(app);
    for (const url of ['/api/register/', '/api/login/', '/api/refresh/', '/api/logout/']) await expectBadBodiesRefused(app, 'POST', url);
    await expectBadBodiesRefused(app, 'PUT', '/api/me/', { authorization: `Bearer ${access_token}` });
    expect(await countUsers(app)).toBe(before);
    expect((await me(access_token)).json()).toEqual({ id: expect.any(Number), username: null, email: 'bad@example.com' });
  });

  it('lists its routes under their own tag in the OpenAPI docs', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/register/', '/api/login/', '/api/refresh/', '/api/logout/']) expect(spec.paths[path].post.tags, path).toEqual(['compat: jwt-uuid-refresh']);
    expect(spec.paths['/api/me/'].put.tags).toEqual(['compat: jwt-uuid-refresh']);
  });
});
