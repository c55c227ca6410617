import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type InjectOptions, type TestApp } from '../support/app.js';
import { multipartBody } from '../support/multipart.js';
import { tinyPng } from '../support/png.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { logIn, userRow } from './support.js';
import { testPassword } from '../support/passwords.js';

const tables = ['users', 'sessions', 'refresh_tokens', 'api_tokens', 'audit_events', 'outbox', 'settings', 'one_time_codes'] as const;

describe.each(backends)('invariants on %s', (backend) => {
  let app: TestApp;
  const bodies: string[] = [];
  /** Every request of the full flow goes through here, so every response body can be scanned. */
  const call = async (opts: InjectOptions) => {
    const res = await app.request(opts);
    bodies.push(res.body);
    return res;
  };

  beforeAll(async () => {
    app = await testApp(backend, { LOG_LEVEL: 'trace' });
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a full flow never returns or logs a password, hash, refresh token or API key, and stores only digests', async () => {
    const pw = 'Unmistakable-Passw0rd-!!';
    const newPw = 'Another-Unmistakable-Passw0rd-??';
    const reg = await call({ method: 'POST', url: '/v1/auth/register', payload: { username: 'secretive', email: 'secretive@example.com', password: pw }, headers: { 'user-agent': 'flow' } });
    expect(reg.statusCode).toBe(201);
    const refreshTokens = [reg.json().refresh_token];
    await call({ method: 'POST', url: '/v1/auth/login', payload: { login: 'secretive', password: 'wrong-' + pw } });
    const login = await call({ method: 'POST', url: '/v1/auth/login', payload: { login: 'secretive', password: pw } });
    refreshTokens.push(login.json().refresh_token);
    const rotated = await call({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: login.json().refresh_token } });
    refreshTokens.push(rotated.json().refresh_token);
    const access = rotated.json().access_token;
    const key = (await call({ method: 'POST', url: '/v1/me/api-tokens', token: access, payload: { name: 'k', current_password: pw } })).json().key as string;
    await call({ method: 'GET', url: '/v1/me', apiKey: key });
    // Checked now: the password change below ends the API token (it is deleted with its digest).
    const storedKey = JSON.stringify(await app.core.db.selectFrom('api_tokens').selectAll().execute());
    expect(storedKey).toContain(tokenDigest(key));
    expect(storedKey, 'a secret is stored in clear').not.toContain(key);
    await call({ method: 'GET', url: '/v1/me', token: access });
    await call({ method: 'PATCH', url: '/v1/me', token: access, payload: { bio: 'x' } });
    await call({ method: 'PUT', url: '/v1/me/avatar', token: access, ...multipartBody({ avatar: { filename: 'a.png', contentType: 'image/png', data: tinyPng() } }) });
    await call({ method: 'GET', url: '/v1/me/sessions', token: access });
    await call({ method: 'GET', url: '/v1/me/api-tokens', token: access });
    await call({ method: 'GET', url: '/v1/me/dashboard', token: access });
    await call({ method: 'PUT', url: '/v1/me/password', token: access, payload: { old_password: pw, new_password: newPw } });
    await call({ method: 'PUT', url: '/v1/me/password', token: access, payload: { old_password: 'wrong', new_password: newPw } });
    await call({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: refreshTokens[0] } });
    app.clock.advance(60);
    await call({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: login.json().refresh_token } });
    await call({ method: 'POST', url: '/v1/auth/login', payload: { login: 'secretive', password: newPw } });
    await call({ method: 'POST', url: '/v1/auth/logout', token: access });
    await call({ method: 'DELETE', url: '/v1/me', token: access, payload: { password: newPw } });

    const secrets = [pw, newPw, key, ...refreshTokens];
    const logText = app.logs.join('');
    expect(app.logs.length, 'the flow was logged at trace level').toBeGreaterThan(20);
    for (const secret of secrets) expect(logText, 'a secret reached the logs').not.toContain(secret);
    expect(logText).not.toMatch(/\$argon2|pbkdf2_sha256\$/);
    for (const body of bodies) {
      expect(body).not.toMatch(/argon2|pbkdf2/i);
      for (const secret of [pw, newPw]) expect(body).not.toContain(secret);
    }
    expect(bodies.filter((b) => b.includes(key)), 'the API key is shown exactly once').toHaveLength(1);

    const dump: string[] = [];
    for (const table of tables) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(app.core.db);
      dump.push(JSON.stringify(rows));
    }
    const everything = dump.join('\n');
    for (const secret of secrets) expect(everything, 'a secret is stored in clear').not.toContain(secret);
    for (const t of refreshTokens) expect(everything).toContain(tokenDigest(t));
    expect(everything, 'the password change ended the API token').not.toContain(tokenDigest(key));
  });

  it('stores passwords as argon2id hashes only', async () => {
    const { user } = await app.signUp({ password: 'plain text never stored 5' });
    const row = await userRow(app, user.id);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.password_hash).not.toContain('plain text');
  });

  it('a password change whose mail cannot be queued changes nothing: old password works, sessions live', async () => {
    const a = await app.signUp();
    const other = await logIn(app, a.user.username);
    const before = await userRow(app, a.user.id);
    // A real failure inside the transaction: the outbox table is gone for the duration.
    await sql`alter table outbox rename to outbox_away`.execute(app.core.db);
    let res;
    try {
      res = await app.request({ method: 'PUT', url: '/v1/me/password', token: a.access_token, payload: { old_password: testPassword, new_password: 'a brand new passphrase 9' } });
    } finally {
      await sql`alter table outbox_away rename to outbox`.execute(app.core.db);
    }
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const after = await userRow(app, a.user.id);
    expect(after!.password_hash).toBe(before!.password_hash);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: other.access_token })).statusCode, 'other sessions were not revoked').toBe(200);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: other.refresh_token } })).statusCode).toBe(200);
    await logIn(app, a.user.username, testPassword);
    const audits = await app.core.db.selectFrom('audit_events').select('id').where('kind', '=', 'password.changed').where('user_id', '=', a.user.id).execute();
    expect(audits, 'no audit row for a change that did not happen').toEqual([]);
  });

  it('a registration whose verification mail cannot be queued leaves no account behind', async () => {
    await app.core.settings.update({ activation_mode: 'email' }, null);
    await sql`alter table outbox rename to outbox_away`.execute(app.core.db);
    let res;
    try {
      res = await app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'halfmade', email: 'halfmade@example.com', password: testPassword } });
    } finally {
      await sql`alter table outbox_away rename to outbox`.execute(app.core.db);
      await app.core.settings.update({ activation_mode: 'none' }, null);
    }
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    const row = await app.core.db.selectFrom('users').select('id').where('username_key', '=', 'halfmade').executeTakeFirst();
    expect(row).toBeUndefined();
    const audit = await app.core.db.selectFrom('audit_events').select('id').where('kind', '=', 'user.registered').where('detail', 'like', '%halfmade%').executeTakeFirst();
    expect(audit).toBeUndefined();
    const retry = await app.request({ method: 'POST', url: '/v1/auth/register', payload: { username: 'halfmade', email: 'halfmade@example.com', password: testPassword } });
    expect(retry.statusCode, 'the name is still free').toBe(201);
  });

  it('unknown and known accounts get the same answer for a wrong password', async () => {
    const { user } = await app.signUp();
    const known = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.username, password: 'nope nope nope' } });
    const unknown = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'no-such-user-anywhere', password: 'nope nope nope' } });
    const unknownEmail = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'nobody@nowhere.example', password: 'nope nope nope' } });
    expect(known.statusCode).toBe(401);
    expect(unknown.body).toBe(known.body);
    expect(unknownEmail.body).toBe(known.body);
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(known.headers).sort());
  });
});
