import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { usernameSkeleton } from '../../src/core/users/skeleton.js';
import { updateProfile } from '../../src/core/account.js';
import { testPassword } from '../support/passwords.js';

let address = 0;
const nextAddress = () => `10.77.${(++address >> 8) & 255}.${address & 255}`;

describe('confusable skeletons (UTS #39)', () => {
  it('map look-alikes of one name together and keep different names apart', () => {
    expect(usernameSkeleton('\u0430dmin')).toBe(usernameSkeleton('admin')); // Cyrillic а
    expect(usernameSkeleton('ＡＤＭＩＮ')).toBe(usernameSkeleton('admin')); // fullwidth, other case
    expect(usernameSkeleton('paypa1')).toBe(usernameSkeleton('paypal')); // digit one for l
    expect(usernameSkeleton('\u0410DMIN')).toBe(usernameSkeleton('admin')); // Cyrillic А, upper case
    expect(usernameSkeleton('alice')).not.toBe(usernameSkeleton('alicia'));
    expect(usernameSkeleton('bob')).not.toBe(usernameSkeleton('rob'));
  });
});

describe.each(backends)('look-alike usernames on %s', (backend) => {
  let app: TestApp;
  const register = (username: string) =>
    app.request({ method: 'POST', url: '/v1/auth/register', payload: { username, password: testPassword }, remoteAddress: nextAddress() });

  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attack: a Cyrillic or fullwidth look-alike of an existing username registers as a new name', async () => {
    expect((await register('admin')).statusCode).toBe(201);
    for (const lookAlike of ['\u0430dmin', 'ａdmin', 'adm\u0456n', 'ADMIN', '\u0410DMIN']) {
      const res = await register(lookAlike);
      expect(res.statusCode, lookAlike).toBe(400);
      expect(res.json().errors.username).toBeDefined();
    }
    const rows = await app.core.db.selectFrom('users').select('username').execute();
    expect(rows.map((r) => r.username)).toEqual(['admin']);
  });

  it('attack: renaming an account to a look-alike of another', async () => {
    expect((await register('treasurer')).statusCode).toBe(201);
    const { user } = await app.signUp();
    const updated = await app.core.db.selectFrom('users').select('username_skeleton').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(updated.username_skeleton).toBe(usernameSkeleton(user.username));
    const setUsernameCheck = (name: string) => updateProfile(app.core, user.id, { username: name }, { emailChange: 'verify', usernameIsLogin: true }, { ip: '127.0.0.1', userAgent: 'test' });
    await expect(setUsernameCheck('tre\u0430surer')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(setUsernameCheck('treasurer2')).resolves.toMatchObject({ username: 'treasurer2' });
  });

  it('still lets names that merely share letters register', async () => {
    expect((await register('alice')).statusCode).toBe(201);
    expect((await register('alicia')).statusCode).toBe(201);
  });
});
