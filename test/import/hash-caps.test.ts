import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjangoUsers } from '../../src/core/import/index.js';
import { hashingJobCounts } from '../../src/core/passwords/argon2-pool.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { djangoPbkdf2, insertUserRow } from '../native/support.js';
import { authUserSqlite, djangoSqlite, sqliteDateTime, type DjangoUser } from './django-fixtures.js';

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
const bcryptChars = (n: number) => Array.from(randomBytes(n), (b) => './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 64]).join('');

/** Well-formed hashes asking for far more work than the caps allow (never computed here). */
const extreme = {
  pbkdf2: () => `pbkdf2_sha256$10000000$${randomBytes(9).toString('base64url')}$${b64(32)}`,
  bcrypt: () => `bcrypt_sha256$$2b$16$${bcryptChars(53)}`,
  argon2Memory: () => `argon2$argon2id$v=19$m=1048576,t=2,p=1$${b64(16).replace(/=+$/, '')}$${b64(32).replace(/=+$/, '')}`,
  argon2Time: () => `argon2$argon2id$v=19$m=19456,t=11,p=1$${b64(16).replace(/=+$/, '')}$${b64(32).replace(/=+$/, '')}`,
};

function authUser(id: number, username: string, password: string): DjangoUser {
  return {
    id, username, password, email: `${username}@example.com`, first_name: username, last_name: 'Caps',
    is_superuser: false, is_staff: false, is_active: true, date_joined: sqliteDateTime(Date.UTC(2024, 0, 1)), last_login: null,
  };
}

describe.each(backends)('imported hash work factors on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const login = (login: string, password: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
  // What a login costs, counted in hashing jobs rather than timed (timing belongs in bench/).
  const jobsOf = async (name: string, password: string, status: number) => {
    const before = hashingJobCounts();
    expect((await login(name, password)).statusCode).toBe(status);
    const after = hashingJobCounts();
    return Object.fromEntries(Object.entries(after).map(([op, n]) => [op, n - before[op as keyof typeof before]]).filter(([, n]) => n !== 0));
  };

  it('attack: imported hash with extreme work factor stalls logins', async () => {
    const file = djangoSqlite(authUserSqlite, 'auth_user', [
      authUser(201, 'heavypbkdf2', extreme.pbkdf2()),
      authUser(202, 'heavybcrypt', extreme.bcrypt()),
      authUser(203, 'heavyargonm', extreme.argon2Memory()),
      authUser(204, 'heavyargont', extreme.argon2Time()),
    ]);
    const summary = await importDjangoUsers(app.core, { from: file });
    expect(summary).toMatchObject({ read: 4, created: 4, skipped: [] });
    expect(summary.notes.map((n) => n.row)).toEqual(['id 201 (heavypbkdf2)', 'id 202 (heavybcrypt)', 'id 203 (heavyargonm)', 'id 204 (heavyargont)']);
    for (const { note } of summary.notes) expect(note).toMatch(/^imported without a usable password: .*more work than Gatehouse allows.*reset the password$/);
    for (const id of [201, 202, 203, 204]) {
      const row = await app.core.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^!/);
    }

    // A row stored some other way is refused at login without being computed (seconds of CPU otherwise).
    await insertUserRow(app, { username: 'direct10m', email: 'direct10m@example.com', password_hash: extreme.pbkdf2() });
    // It costs exactly what an unknown login costs: one dummy argon2 verify, and no pbkdf2 at all.
    expect(await jobsOf('direct10m', 'wrong password 1', 401)).toEqual({ verify: 1 });
    expect(await jobsOf('nobody-at-all', 'wrong password 1', 401)).toEqual({ verify: 1 });
  });

  it('attack: a 1-iteration pbkdf2 hash answers instantly', async () => {
    await insertUserRow(app, { username: 'weakling', email: 'weakling@example.com', password_hash: djangoPbkdf2('the real password 1', 1) });
    // The weak hash is checked and the dummy argon2 verify runs beside it, so the answer costs at
    // least what an unknown login's does (the hashing jobs are counted; their time is a bench/ matter).
    expect(await jobsOf('weakling', 'a wrong password', 401)).toEqual({ pbkdf2: 1, verify: 1 });
    // And the right password still works, then is rehashed to argon2id.
    expect(await jobsOf('weakling', 'the real password 1', 200)).toEqual({ pbkdf2: 1, verify: 1, hash: 1 });
  });
});
