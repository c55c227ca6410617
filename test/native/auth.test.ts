import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { auditRows, countRows, djangoPbkdf2, insertUserRow, logIn, password, userRow } from './support.js';

describe.each(backends)('registration and login on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const register = (payload: unknown, extra: { headers?: Record<string, string> } = {}) =>
    app.request({ method: 'POST', url: '/v1/auth/register', payload, ...extra });

  it('answers 201 with the public user (integer id, every profile field) and a token pair', async () => {
    const res = await register({
      username: 'Carol', email: 'carol@Example.ORG', password,
      first_name: 'Carol', last_name: 'Danvers', phone_number: '+1 555 0100', date_of_birth: '1990-02-28', gender: 'female', bio: 'Pilot.',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Number.isInteger(body.user.id)).toBe(true);
    expect(body.user).toMatchObject({
      username: 'Carol', email: 'carol@example.org', first_name: 'Carol', last_name: 'Danvers', phone_number: '+1 555 0100',
      date_of_birth: '1990-02-28', gender: 'female', bio: 'Pilot.', is_active: true, is_staff: false, avatar_url: null,
    });
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/argon2|pbkdf2|password/i);
  });

  it('accepts the same body as x-www-form-urlencoded and as multipart/form-data', async () => {
    const form = await register(...asArgs(formBody({ username: 'formuser', password, first_name: 'Form' })));
    expect(form.statusCode, form.body).toBe(201);
    expect(form.json().user).toMatchObject({ username: 'formuser', first_name: 'Form' });
    const multi = await register(...asArgs(multipartBody({ email: 'multi@example.com', password, bio: 'héllo ✓' })));
    expect(multi.statusCode, multi.body).toBe(201);
    expect(multi.json().user).toMatchObject({ email: 'multi@example.com', bio: 'héllo ✓', username: '' });
    expect((await logIn(app, 'formuser')).user.id).toBe(form.json().user.id);
    expect((await logIn(app, 'MULTI@example.com')).user.id).toBe(multi.json().user.id);
  });

  it('keeps usernames and emails unique case-insensitively, with a field error', async () => {
    await app.signUp({ username: 'Dora', email: 'dora@example.com' });
    const sameName = await register({ username: 'DORA', email: 'other@example.com', password });
    expect(sameName.statusCode).toBe(400);
    expect(sameName.json().errors).toEqual({ username: ['A user with that username already exists.'] });
    const sameEmail = await register({ username: 'dora2', email: 'DORA@EXAMPLE.COM', password });
    expect(sameEmail.statusCode).toBe(400);
    expect(Object.keys(sameEmail.json().errors)).toEqual(['email']);
    const unicodeFold = await register({ username: 'ＤＯＲＡ', email: 'dora3@example.com', password });
    expect(unicodeFold.statusCode, 'full-width letters fold to the same name').toBe(400);
  });

  it('normalises the email domain and keeps the local part as typed', async () => {
    const res = await register({ email: '  Mixed.Case@EXAMPLE.Com ', password });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.email).toBe('Mixed.Case@example.com');
    expect((await logIn(app, 'mixed.case@example.com')).user.id).toBe(res.json().user.id);
  });

  it('requires a username or an email (identity "either") and a password, naming each field', async () => {
    const none = await register({ password });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual({ non_field_errors: ['Provide a username or an email address.'] });
    const noPassword = await register({ username: 'nopw' });
    expect(noPassword.json().errors).toEqual({ password: ['This field is required.'] });
    const bad = await register({ username: 'bad name!', email: 'not-an-email', password, date_of_birth: '1990-02-30', phone_number: 'call me' });
    expect(Object.keys(bad.json().errors).sort()).toEqual(['date_of_birth', 'email', 'phone_number', 'username']);
  });

  it('applies the Django default password policy with one message per failed rule', async () => {
    const cases: [string, Record<string, string>, string[]][] = [
      ['short', {}, ['This password is too short. It must contain at least 8 characters.']],
      ['password', {}, ['This password is too common.']],
      ['93847561029', {}, ['This password is entirely numeric.']],
      ['1234567', {}, ['This password is too short. It must contain at least 8 characters.', 'This password is too common.', 'This password is entirely numeric.']],
      ['similarname99', { username: 'similarname99x' }, ['The password is too similar to the username.']],
    ];
    const before = await countRows(app, 'users');
    for (const [pw, extra, messages] of cases) {
      const res = await register({ username: `policy_${pw.length}_${messages.length}`, ...extra, password: pw });
      expect(res.statusCode, pw).toBe(400);
      expect(res.json().errors.password, pw).toEqual(messages);
    }
    expect(await countRows(app, 'users'), 'no half-made account').toBe(before);
  });

  it('accepts long passwords and compares them exactly (no truncation, no case folding)', async () => {
    const long = 'Ω'.repeat(10) + 'x'.repeat(180) + 'end';
    const { user } = await app.signUp({ username: 'longpw', password: long });
    expect((await logIn(app, 'longpw', long)).user.id).toBe(user.id);
    for (const near of [long.slice(0, 72), long.slice(0, -1), long.toUpperCase(), long + ' ', long.slice(0, 128)]) {
      const res = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'longpw', password: near } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('refuses an oversized password with a clear 400 before hashing it', async () => {
    const before = await countRows(app, 'users');
    const huge = await register({ username: 'hugepw', password: 'x'.repeat(1_000_000) });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().errors.password[0]).toMatch(/no more than 4096 characters/);
    const overPolicy = await register({ username: 'hugepw', password: 'correct horse '.repeat(100) });
    expect(overPolicy.statusCode).toBe(400);
    expect(overPolicy.json().errors.password[0]).toMatch(/1024/);
    const login = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'hugepw', password: 'x'.repeat(1_000_000) } });
    expect(login.statusCode).toBe(400);
    const overPolicyLogin = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'hugepw', password: 'y'.repeat(2000) } });
    expect(overPolicyLogin.statusCode).toBe(401);
    expect((await auditRows(app, 'login.failed')).at(-1)!.detail).toMatchObject({ reason: 'password_too_long' });
    expect(await countRows(app, 'users')).toBe(before);
  });

  it('verifies an imported Django pbkdf2_sha256 hash and rehashes it to argon2id on login', async () => {
    const id = await insertUserRow(app, { username: 'djangouser', email: 'django@example.com', password_hash: djangoPbkdf2('imported secret 77') });
    const wrong = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'djangouser', password: 'imported secret 78' } });
    expect(wrong.statusCode).toBe(401);
    expect((await userRow(app, id))!.password_hash).toMatch(/^pbkdf2_sha256\$/);
    const ok = await logIn(app, 'django@example.com', 'imported secret 77');
    expect(ok.user.id).toBe(id);
    expect((await userRow(app, id))!.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect((await auditRows(app, 'login.succeeded', id)).at(-1)!.detail).toEqual({ rehashed: true });
    expect((await logIn(app, 'djangouser', 'imported secret 77')).user.id).toBe(id);
  });

  it('audits logins, successful and failed, with the reason, time, IP and user agent', async () => {
    const { user } = await app.signUp({ username: 'audited' });
    const ua = { 'user-agent': 'AuditTest/1.0' };
    app.clock.advance(1);
    const at = app.clock.now();
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'audited', password }, headers: ua, remoteAddress: '10.1.2.3' });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'audited', password: 'wrong one!' }, headers: ua, remoteAddress: '10.1.2.3' });
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'ghost-user', password: 'whatever 1' }, headers: ua, remoteAddress: '10.1.2.4' });
    const ok = (await auditRows(app, 'login.succeeded', user.id)).at(-1)!;
    expect(ok).toMatchObject({ at, ip: '10.1.2.3', user_agent: 'AuditTest/1.0' });
    const failed = (await auditRows(app, 'login.failed', user.id)).at(-1)!;
    expect(failed).toMatchObject({ at, ip: '10.1.2.3', user_agent: 'AuditTest/1.0', detail: { reason: 'wrong_password' } });
    const unknown = (await auditRows(app, 'login.failed')).at(-1)!;
    expect(unknown).toMatchObject({ user_id: null, ip: '10.1.2.4', detail: { reason: 'unknown_account', login: 'ghost-user' } });
  });

  it('logs in by username containing "@" when no email matches', async () => {
    const { user } = await app.signUp({ username: 'at@name', email: 'atname@example.com' });
    expect((await logIn(app, 'AT@NAME')).user.id).toBe(user.id);
  });
});

describe.each(backends)('concurrent registrations on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    // All twenty must reach the database race, not a rate limit.
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets exactly one of 20 parallel sign-ups with the same email succeed; the rest get a clean 400', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: `racer${i}`, email: i % 2 ? 'Race@Example.com' : 'race@example.com', password }, remoteAddress: `10.0.0.${i + 1}` }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 201)) {
      expect([400, 409]).toContain(r.statusCode);
      expect(r.json().errors).toEqual({ email: ['user with this email already exists.'] });
    }
    const rows = await app.core.db.selectFrom('users').select('id').where('email_key', '=', 'race@example.com').execute();
    expect(rows).toHaveLength(1);
    expect(await countRows(app, 'users')).toBe(1);
    expect(await countRows(app, 'sessions')).toBe(1);
  });

  it('does the same for 20 parallel sign-ups with the same username', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: i % 2 ? 'SameName' : 'samename', password }, remoteAddress: `10.0.1.${i + 1}` }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 201)) expect(r.json().errors).toEqual({ username: ['A user with that username already exists.'] });
  });
});

describe.each(backends)('registration identity settings on %s', (backend) => {
  it('GATEHOUSE_REGISTRATION_IDENTITY=email requires an email; =username requires a username', async () => {
    const emailApp = await testApp(backend, { GATEHOUSE_REGISTRATION_IDENTITY: 'email' });
    try {
      const res = await emailApp.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'nomail', password } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual({ email: ['This field is required.'] });
    } finally {
      await emailApp.close();
    }
    const nameApp = await testApp(backend, { GATEHOUSE_REGISTRATION_IDENTITY: 'username' });
    try {
      const res = await nameApp.request({ method: 'POST', url: '/v1/auth/register', payload: { email: 'noname@example.com', password } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual({ username: ['This field is required.'] });
    } finally {
      await nameApp.close();
    }
  });
});

function asArgs(body: { payload: unknown; headers: Record<string, string> }): [unknown, { headers: Record<string, string> }] {
  return [body.payload, { headers: body.headers }];
}
