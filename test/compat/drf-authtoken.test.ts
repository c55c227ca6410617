import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginKey, loginKeysKept } from '../../src/core/login-keys.js';
import { backends } from '../support/backends.js';
import type { TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { acceptWeakPasswords, compatApp, countUsers, expectBadBodiesRefused, expectDrfJson, expectNoSecrets, restoreDefaultPolicy, strong } from './support.js';

describe.each(backends)('compat drf-authtoken (seed 003) on %s', (backend) => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await compatApp(backend, 'drf-authtoken');
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (url: string, payload?: unknown) => app.request({ method: 'POST', url, payload });
  const me = (apiKey?: string, headers: Record<string, string> = {}) => app.request({ method: 'GET', url: '/api/me/', apiKey, headers });

  describe('README examples', () => {
    beforeAll(() => acceptWeakPasswords(app));
    afterAll(() => restoreDefaultPolicy(app));

    it('1. registration: POST /api/create/ answers id, username and email', async () => {
      const res = await post('/api/create/', { username: 'your-username', email: 'your-email@example.com', password: 'your-password' });
      expect(res.statusCode, res.body).toBe(201);
      expectDrfJson(res);
      expect(res.json()).toEqual({ id: expect.any(Number), username: 'your-username', email: 'your-email@example.com' });
      expectNoSecrets(res.body, 'your-password');
    });

    it('2. login: POST /api/token/ answers {"token": …}', async () => {
      const res = await post('/api/token/', { username: 'your-username', password: 'your-password' });
      expect(res.statusCode, res.body).toBe(200);
      expect(Object.keys(res.json())).toEqual(['token']);
      key = res.json().token;
      expect(key).toMatch(/^[0-9a-f]{40}$/);
    });

    it('3. profile: GET /api/me/ with "Authorization: Token …" answers id, username and email', async () => {
      const res = await me(key);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ id: expect.any(Number), username: 'your-username', email: 'your-email@example.com' });
    });
  });

  it('error handling: 400 for invalid data, 401 for a missing or invalid token', async () => {
    const invalid = await post('/api/create/', { username: 'bad name!', password: strong });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ username: ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'] });
    const missing = await me();
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Token');
    expect(missing.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
    const wrong = await me('f'.repeat(40));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ detail: 'Invalid token.' });
  });

  it('ObtainAuthToken refuses bad credentials with non_field_errors, and missing fields per field', async () => {
    await post('/api/create/', { username: 'olga', password: strong });
    for (const payload of [{ username: 'olga', password: 'wrong password' }, { username: 'nobody', password: strong }]) {
      const res = await post('/api/token/', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    }
    expect((await post('/api/token/', {})).json()).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
  });

  it('a disabled account cannot log in, and its keys stop working', async () => {
    const { id } = (await post('/api/create/', { username: 'leaver', password: strong })).json();
    const { token } = (await post('/api/token/', { username: 'leaver', password: strong })).json();
    await app.core.db.updateTable('users').set({ is_active: 0 }).where('id', '=', id).execute();
    await app.core.users.invalidate(id);
    expect((await post('/api/token/', { username: 'leaver', password: strong })).json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    const res = await me(token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ detail: 'User inactive or deleted.' });
  });

  it('takes form and multipart bodies, paths without the trailing slash, and a case-insensitive username', async () => {
    const created = await app.request({ method: 'POST', url: '/api/create', ...formBody({ username: 'Former', email: 'former@example.com', password: strong }) });
    expect(created.statusCode, created.body).toBe(201);
    const login = await app.request({ method: 'POST', url: '/api/token', ...multipartBody({ username: 'former', password: strong }) });
    expect(login.statusCode, login.body).toBe(200);
    expect((await app.request({ method: 'GET', url: '/api/me', apiKey: login.json().token })).json().id).toBe(created.json().id);
    const dup = await post('/api/create/', { username: 'FORMER', password: strong });
    expect(dup.json()).toEqual({ username: ['A user with that username already exists.'] });
  });

  it(`each login issues a new key; only the ${loginKeysKept} most recently used are kept, so logins never run out`, async () => {
    const { id } = (await post('/api/create/', { username: 'frequent', password: strong })).json();
    const first = (await post('/api/token/', { username: 'frequent', password: strong })).json().token;
    app.clock.advance(1);
    const keys = [first];
    const meta = { ip: '127.0.0.1', userAgent: 'test' };
    // The pruning rule itself, without a password hash per login.
    for (let i = 0; i < loginKeysKept + 2; i++) {
      keys.push(await issueLoginKey(app.core, id, 'drf-authtoken login', meta));
      app.clock.advance(1);
    }
    const last = (await post('/api/token/', { username: 'frequent', password: strong })).json().token;
    keys.push(last);
    expect(new Set(keys).size).toBe(keys.length);
    expect((await me(first)).statusCode, 'the oldest keys were dropped').toBe(401);
    expect((await me(last)).statusCode).toBe(200);
    expect((await me(keys.at(-loginKeysKept))).statusCode).toBe(200);
    expect((await me(keys.at(-loginKeysKept - 1))).statusCode).toBe(401);
    const stored = await app.core.db.selectFrom('api_tokens').select('token_hash').where('user_id', '=', id).execute();
    expect(stored).toHaveLength(loginKeysKept);
    expect(stored.map((r) => r.token_hash).join()).not.toContain(last);
  });

  it('answers other methods with 405', async () => {
    const res = await app.request({ method: 'POST', url: '/api/me/' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.json()).toEqual({ detail: 'Method "POST" not allowed.' });
    expect((await app.request({ method: 'GET', url: '/api/token/' })).json()).toEqual({ detail: 'Method "GET" not allowed.' });
  });

  it('refuses bad input on every route with a 4xx and writes nothing', async () => {
    const before = await countUsers(app);
    for (const url of ['/api/create/', '/api/token/']) await expectBadBodiesRefused(app, 'POST', url);
    expect(await countUsers(app)).toBe(before);
  });

  it('lists its routes under their own tag in the OpenAPI docs', async () => {
    const spec = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/api/create/'].post.tags).toEqual(['compat: drf-authtoken']);
    expect(spec.paths['/api/token/'].post.tags).toEqual(['compat: drf-authtoken']);
    expect(spec.paths['/api/me/'].get.tags).toEqual(['compat: drf-authtoken']);
  });
});
