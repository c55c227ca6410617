import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';

describe.each(backends)('revoked-session set on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps a revoked session only as long as one of its access tokens could live, in memory and after a rebuild', async () => {
    const { access_token } = await app.signUp();
    const before = app.core.revocations.size;
    expect((await app.request({ method: 'POST', url: '/v1/auth/logout', token: access_token })).statusCode).toBe(204);
    expect(app.core.revocations.size).toBe(before + 1);
    await app.core.revocations.rebuild();
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(401);
    // The longest access-token lifetime is one day: past it the entry is useless and goes.
    app.clock.advance(86_400 + 1);
    await app.core.revocations.rebuild();
    expect(app.core.revocations.size).toBe(before);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(401);
  });
});
