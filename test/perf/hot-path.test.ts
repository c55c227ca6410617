import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';

/** The shortcuts that keep GET /v1/me cheap (bench/) must not change what it answers. */
describe.each(backends)('hot path on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(() => app.close());

  it('answers a cached token and user with no query', async () => {
    const { access_token } = await app.signUp();
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(200);
    app.queries.reset();
    const again = await app.request({ method: 'GET', url: '/v1/me', token: access_token });
    expect(again.statusCode).toBe(200);
    expect(app.queries.count).toBe(0);
  });

  it('refuses a token that shares a cached token\'s signature but not its claims', async () => {
    const victim = await app.signUp();
    const other = await app.signUp();
    expect((await app.request({ method: 'GET', url: '/v1/me', token: victim.access_token })).statusCode).toBe(200);
    const [header, , signature] = victim.access_token.split('.');
    const otherPayload = other.access_token.split('.')[1];
    const forged = `${header}.${otherPayload}.${signature}`;
    const res = await app.request({ method: 'GET', url: '/v1/me', token: forged });
    expect(res.statusCode).toBe(401);
    // The genuine token is still served from the cache, as its own user.
    const mine = await app.request({ method: 'GET', url: '/v1/me', token: victim.access_token });
    expect(mine.json().id).toBe(victim.user.id);
  });

  it('shows a profile change at once although the view of a cached user is reused', async () => {
    const { access_token } = await app.signUp({ first_name: 'Ada' });
    const first = await app.request({ method: 'GET', url: '/v1/me', token: access_token });
    const second = await app.request({ method: 'GET', url: '/v1/me', token: access_token });
    expect(second.body).toBe(first.body);
    expect(first.json().first_name).toBe('Ada');
    const patched = await app.request({ method: 'PATCH', url: '/v1/me', token: access_token, payload: { first_name: 'Grace' } });
    expect(patched.statusCode).toBe(200);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json().first_name).toBe('Grace');
  });

  it('matches the scheme word in any case', async () => {
    const { access_token } = await app.signUp();
    for (const word of ['Bearer', 'bearer', 'BEARER']) {
      const res = await app.request({ method: 'GET', url: '/v1/me', headers: { authorization: `${word} ${access_token}` } });
      expect(res.statusCode).toBe(200);
    }
    const wrong = await app.request({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearerx ${access_token}` } });
    expect(wrong.statusCode).toBe(401);
  });
});
