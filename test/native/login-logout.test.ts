import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('native auth on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('registers, logs in by email or username case-insensitively, and reads /v1/me', async () => {
    const reg = await app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'Alice', email: 'Alice@Example.COM', password: 'correct horse battery', first_name: 'Alice' } });
    expect(reg.statusCode).toBe(201);
    const body = reg.json();
    expect(body.user).toMatchObject({ username: 'Alice', email: 'Alice@example.com', first_name: 'Alice', is_active: true });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/);
    expect(body.token_type).toBe('Bearer');
    for (const login of ['alice@example.com', 'ALICE', 'alice']) {
      const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password: 'correct horse battery' } });
      expect(res.statusCode, login).toBe(200);
      const me = await app.request({ method: 'GET', url: '/v1/me', token: res.json().access_token });
      expect(me.statusCode).toBe(200);
      expect(me.json().id).toBe(body.user.id);
    }
  });

  it('refuses a wrong password with 401 and the same answer as an unknown account', async () => {
    const { user } = await app.signUp();
    const wrong = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.email, password: 'not the password' } });
    const unknown = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'nobody@example.com', password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().code).toBe('invalid_credentials');
  });

  it('logout revokes the access token at once; logout-all ends every session', async () => {
    const first = await app.signUp();
    const second = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: first.user.username, password: testPassword } })).json();
    expect((await app.request({ method: 'POST', url: '/v1/auth/logout', token: first.access_token })).statusCode).toBe(204);
    const after = await app.request({ method: 'GET', url: '/v1/me', token: first.access_token });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: second.access_token })).statusCode).toBe(200);
    const third = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: first.user.username, password: testPassword } })).json();
    const all = await app.request({ method: 'POST', url: '/v1/auth/logout-all', token: third.access_token });
    expect(all.json().sessions_revoked).toBe(2);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: second.access_token })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: second.refresh_token } })).statusCode).toBe(401);
  });
});
