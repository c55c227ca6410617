import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjangoUsers } from '../../src/core/import/index.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { authUserSqlite, djangoHash, djangoSqlite, dumpdataFile, emailUserSqlite, sqliteDateTime, updateSqlite, type DjangoUser } from './django-fixtures.js';

const joined = Date.UTC(2024, 10, 18, 11, 59, 14, 730);
const lastSeen = Date.UTC(2025, 0, 2, 8, 0, 0, 0);

/** A row of Django's auth_user as SQLite holds it. */
function authUser(id: number, username: string, password: string, extra: DjangoUser = {}): DjangoUser {
  return {
    id, username, password, email: `${username.toLowerCase()}@example.com`, first_name: username, last_name: 'Jaber',
    is_superuser: false, is_staff: false, is_active: true, date_joined: sqliteDateTime(joined), last_login: null, ...extra,
  };
}

describe.each(backends)('import-django into %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_COMPAT: 'drf-token' });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const nativeLogin = (login: string, password: string) => app.request({ method: 'POST', url: '/v1/auth/login', payload: { login, password } });
  const row = (id: number) => app.core.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe("Django's auth_user from its SQLite file", () => {
    let file: string;
    let pbkdf2Real: string;
    beforeAll(async () => {
      pbkdf2Real = djangoHash.pbkdf2('pbkdf2 password', 720_000);
      file = djangoSqlite(authUserSqlite, 'auth_user', [
        authUser(101, 'Ahmad', pbkdf2Real, { is_staff: true, is_superuser: true, last_login: sqliteDateTime(lastSeen) }),
        authUser(102, 'argon', await djangoHash.argon2('argon2 password')),
        authUser(103, 'bee', djangoHash.bcryptSha256('bcrypt password')),
        authUser(104, 'oldtimer', djangoHash.md5('md5 password')),
        authUser(105, 'sleeper', djangoHash.pbkdf2('sleeper password'), { is_active: false }),
        authUser(107, 'nopass', '!unusablehashfromdjango'),
      ]);
    });

    it('creates every user with id, names, flags, dates and the hash preserved; md5 is reported', async () => {
      const summary = await importDjangoUsers(app.core, { from: file });
      expect(summary).toMatchObject({ loginField: 'username', read: 6, created: 6, updated: 0, unchanged: 0, skipped: [] });
      expect(summary.notes).toEqual([
        { row: 'id 104 (oldtimer)', note: 'imported without a usable password: md5 hashes are not accepted: ask the user to reset the password' },
        { row: 'id 107 (nopass)', note: "imported without a usable password: unusable password (Django's '!' prefix): the user has to set one through a password reset" },
      ]);
      const ahmad = await row(101);
      expect(ahmad).toMatchObject({
        username: 'Ahmad', username_key: 'ahmad', email: 'ahmad@example.com', email_key: 'ahmad@example.com', first_name: 'Ahmad', last_name: 'Jaber',
        is_staff: 1, is_superuser: 1, is_active: 1, approved: 1, email_verified: 1, date_joined: joined, last_login: lastSeen, password_hash: pbkdf2Real,
      });
      expect((await row(105)).is_active).toBe(0);
      expect((await row(104)).password_hash).toMatch(/^!/);
    });

    it('imported users log in with their old passwords and are rehashed to argon2id', async () => {
      for (const [login, password, id] of [['Ahmad', 'pbkdf2 password', 101], ['argon@example.com', 'argon2 password', 102], ['BEE', 'bcrypt password', 103]] as const) {
        const res = await nativeLogin(login, password);
        expect(res.statusCode, `${login}: ${res.body}`).toBe(200);
        expect(res.json().user.id).toBe(id);
        expect((await row(id)).password_hash).toMatch(/^\$argon2id\$/);
        expect((await nativeLogin(login, password)).statusCode, 'and again with the new hash').toBe(200);
      }
      const drf = await app.request({ method: 'POST', url: '/login/', payload: { username: 'ahmad', password: 'pbkdf2 password' } });
      expect(drf.statusCode, 'through the seed-000 profile too').toBe(200);
      expect(drf.json().user).toMatchObject({ id: 101, username: 'Ahmad', date_joined: '2024-11-18T11:59:14.730000Z' });
      expect((await nativeLogin('oldtimer', 'md5 password')).statusCode).toBe(401);
      expect((await nativeLogin('sleeper', 'sleeper password')).statusCode).toBe(403);
      expect((await nativeLogin('nopass', '!unusablehashfromdjango')).statusCode).toBe(401);
    });

    it('is idempotent: a re-run updates what changed, never duplicates, and keeps passwords set in Gatehouse', async () => {
      const before = await app.core.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const again = await importDjangoUsers(app.core, { from: file });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 6, skipped: [] });
      updateSqlite(file, 'update auth_user set first_name = ?, email = ? where id = ?', 'Bea', 'bea@example.com', 103);
      const changed = await importDjangoUsers(app.core, { from: file, batchSize: 2 });
      expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 5 });
      expect(await row(103)).toMatchObject({ first_name: 'Bea', email: 'bea@example.com', email_key: 'bea@example.com' });
      expect((await row(103)).password_hash, 'the upgraded hash stays').toMatch(/^\$argon2id\$/);
      expect((await nativeLogin('bea@example.com', 'bcrypt password')).statusCode).toBe(200);
      const after = await app.core.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('a re-run that deactivates a user ends their sessions at once', async () => {
      const { access_token } = (await nativeLogin('argon', 'argon2 password')).json();
      expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(200);
      updateSqlite(file, 'update auth_user set is_active = 0 where id = ?', 102);
      expect((await importDjangoUsers(app.core, { from: file })).updated).toBe(1);
      expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).statusCode).toBe(401);
    });
  });

  it('an email-login custom table: duplicate free-form usernames do not stop it; bad rows are skipped with reasons', async () => {
    await app.signUp({ username: 'native', email: 'taken@example.com' });
    const file = djangoSqlite(emailUserSqlite, 'users_user', [
      { id: 201, email: 'john1@example.com', username: 'John Smith', password: djangoHash.pbkdf2('john one pw'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 202, email: 'john2@example.com', username: 'John Smith', password: djangoHash.pbkdf2('john two pw'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 203, email: 'nameless@example.com', username: null, password: djangoHash.pbkdf2('nameless pw'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 204, email: 'TAKEN@example.com', username: 'dup', password: djangoHash.pbkdf2('x'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 205, email: 'John1@Example.com', username: 'case', password: djangoHash.pbkdf2('x'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 206, email: 'nul@example.com', username: 'a\u0000b', password: djangoHash.pbkdf2('x'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
      { id: 207, email: '', username: 'noemail', password: djangoHash.pbkdf2('x'), is_active: true, is_staff: false, is_superuser: false, last_login: null },
    ]);
    const summary = await importDjangoUsers(app.core, { from: file, table: 'users_user' });
    expect(summary.loginField).toBe('email');
    expect(summary).toMatchObject({ read: 7, created: 3 });
    expect(summary.skipped).toEqual([
      { row: 'id 206 (nul@example.com)', reason: 'username contains control characters (such as NUL)' },
      { row: 'id 207 (noemail)', reason: 'no email, which is the login field' },
      { row: 'id 204 (TAKEN@example.com)', reason: expect.stringMatching(/^email "TAKEN@example.com" already belongs to Gatehouse user \d+/) },
      { row: 'id 205 (John1@Example.com)', reason: 'email "John1@Example.com" already belongs to Gatehouse user 201 (emails are unique regardless of case)' },
    ]);
    expect(await row(201)).toMatchObject({ username: 'John Smith', username_key: null });
    expect(await row(202)).toMatchObject({ username: 'John Smith', username_key: null });
    expect((await row(203)).username).toBe('');
    expect((await row(203)).date_joined, 'no date_joined column: the import time').toBe(app.clock.now());
    expect((await nativeLogin('john2@example.com', 'john two pw')).json().user.id).toBe(202);
  });

  it('reads manage.py dumpdata JSON, and --map takes fields from other columns', async () => {
    const file = dumpdataFile([
      { id: 301, username: 'dumped', password: djangoHash.pbkdf2('dumped password'), email: 'dumped@example.com', first_name: 'Dum', last_name: 'Ped', is_superuser: false, is_staff: true, is_active: true, date_joined: '2024-11-18T11:59:14.730Z', last_login: null },
    ]);
    const summary = await importDjangoUsers(app.core, { from: file });
    expect(summary).toMatchObject({ created: 1, skipped: [], loginField: 'username' });
    expect(await row(301)).toMatchObject({ username: 'dumped', is_staff: 1, date_joined: joined, first_name: 'Dum' });
    expect((await nativeLogin('dumped', 'dumped password')).statusCode).toBe(200);

    const custom = djangoSqlite(
      'CREATE TABLE "accounts_member" ("id" integer PRIMARY KEY, "password" varchar(128) NOT NULL, "email_address" varchar(254) NOT NULL, "username" varchar(50) NOT NULL, "phoneNumber" varchar(20) NOT NULL, "dateBirth" date NULL, "is_activated" bool NOT NULL)',
      'accounts_member',
      [
        { id: 401, password: djangoHash.pbkdf2('member pw'), email_address: 'member@example.com', username: 'Member', phoneNumber: '+20 100', dateBirth: '1999-05-01', is_activated: false },
        { id: 402, password: djangoHash.pbkdf2('member pw'), email_address: 'member2@example.com', username: 'Member', phoneNumber: '', dateBirth: 'not a date', is_activated: true },
      ],
    );
    const mapped = await importDjangoUsers(app.core, { from: custom, table: 'accounts_member', map: ['email=email_address'] });
    expect(mapped).toMatchObject({ created: 2, loginField: 'email', skipped: [] });
    expect(mapped.notes).toEqual([{ row: 'id 402 (member2@example.com)', note: 'date_of_birth unreadable; left empty' }]);
    expect(await row(401)).toMatchObject({ email: 'member@example.com', phone_number: '+20 100', date_of_birth: '1999-05-01', approved: 0 });
    await expect(importDjangoUsers(app.core, { from: custom, table: 'accounts_member', map: ['email=nope'] })).rejects.toThrow(/the source has no column "nope"/);
    await expect(importDjangoUsers(app.core, { from: custom, table: 'accounts_member', map: ['shoe_size=x'] })).rejects.toThrow(/--map expects <field>=<column>/);
    await expect(importDjangoUsers(app.core, { from: custom })).rejects.toThrow(/no table "auth_user".*accounts_member/);
  });

  it('refuses to overwrite an account of another person holding the same id', async () => {
    const { user } = await app.signUp({ username: 'squatter', email: 'squatter@example.com' });
    const file = djangoSqlite(authUserSqlite, 'auth_user', [authUser(user.id, 'someoneelse', djangoHash.pbkdf2('x'))]);
    const summary = await importDjangoUsers(app.core, { from: file });
    expect(summary.skipped).toEqual([{ row: `id ${user.id} (someoneelse)`, reason: `id ${user.id} already belongs to a different Gatehouse account (squatter@example.com); import into an empty Gatehouse` }]);
    expect((await row(user.id)).username).toBe('squatter');
  });

  it('a dry run reports without writing', async () => {
    const file = djangoSqlite(authUserSqlite, 'auth_user', [authUser(501, 'dry', djangoHash.pbkdf2('x')), authUser(502, 'run', djangoHash.pbkdf2('x'))]);
    const summary = await importDjangoUsers(app.core, { from: file, dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, created: 2 });
    expect(await app.core.db.selectFrom('users').select('id').where('id', 'in', [501, 502]).execute()).toEqual([]);
  });

  it('moves the id sequence past imported ids, so later sign-ups do not collide', async () => {
    const file = djangoSqlite(authUserSqlite, 'auth_user', [authUser(9000, 'highest', djangoHash.pbkdf2('x'))]);
    await importDjangoUsers(app.core, { from: file });
    const { user } = await app.signUp();
    expect(user.id).toBeGreaterThan(9000);
  });
});
