import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

// A pass-through spy: the real dummy verification still runs, the test only learns that it did.
vi.mock('../../src/core/passwords/dummy-verify.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/passwords/dummy-verify.js')>();
  return { ...real, burnDummyVerify: vi.fn(real.burnDummyVerify) };
});
const { burnDummyVerify } = await import('../../src/core/passwords/dummy-verify.js');
const spy = vi.mocked(burnDummyVerify);

describe.each(backends)('unknown accounts cost a dummy hash on %s', (backend) => {
  let app: TestApp;
  let username: string;
  beforeAll(async () => {
    app = await testApp(backend);
    username = (await app.signUp()).user.username;
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => spy.mockClear());

  const login = (who: string, password: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: who, password } });

  it('verifies against the dummy hash for an unknown username, email, or unusable login', async () => {
    for (const who of ['ghost', 'ghost@example.com', 'nul\u0000byte', '   ']) {
      spy.mockClear();
      expect((await login(who, 'some password 1')).statusCode).toBe(401);
      expect(spy, who).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith('some password 1');
    }
  });

  it('does not for a known account (its real hash is verified instead)', async () => {
    expect((await login(username, 'wrong password 1')).statusCode).toBe(401);
    expect(spy).not.toHaveBeenCalled();
    expect((await login(username, testPassword)).statusCode).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });
});
