import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { formBody } from '../support/multipart.js';
import { auditRows, logIn, password, userRow } from './support.js';

describe.each(backends)('/v1/me on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const patch = (token: string, payload: unknown, extra: Record<string, unknown> = {}) => app.request({ method: 'PATCH', url: '/v1/me', token, payload, ...extra });

  it('reads the profile with a Bearer or a Token credential', async () => {
    const { access_token, user } = await app.signUp({ first_name: 'Ed' });
    const key = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { current_password: password } })).json().key;
    const bearer = await app.request({ method: 'GET', url: '/v1/me', token: access_token });
    const token = await app.request({ method: 'GET', url: '/v1/me', apiKey: key });
    expect(bearer.json()).toEqual(token.json());
    expect(bearer.json()).toMatchObject({ id: user.id, first_name: 'Ed' });
    const none = await app.request({ method: 'GET', url: '/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate'], 'no token presented: no error code').toBe('Bearer realm="gatehouse"');
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ status: 401, code: 'not_authenticated', type: 'urn:gatehouse:error:not_authenticated' });
  });

  it('updates profile fields (JSON or form) and ignores unknown ones', async () => {
    const { access_token, user } = await app.signUp();
    const res = await patch(access_token, { first_name: 'Fay', bio: 'مرحبا 👋', date_of_birth: '2000-01-31', is_staff: true, id: 999 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, first_name: 'Fay', bio: 'مرحبا 👋', date_of_birth: '2000-01-31', is_staff: false });
    const form = await patch(access_token, undefined, formBody({ last_name: 'Wray', gender: 'f' }));
    expect(form.json()).toMatchObject({ first_name: 'Fay', last_name: 'Wray', gender: 'f' });
    expect((await app.request({ method: 'GET', url: '/v1/me', token: access_token })).json().last_name, 'the cached user was refreshed').toBe('Wray');
    const cleared = await patch(access_token, { date_of_birth: null });
    expect(cleared.json().date_of_birth).toBeNull();
  });

  it('keeps username and email unique (case-insensitively) on change', async () => {
    await app.signUp({ username: 'Gina', email: 'gina@example.com' });
    const { access_token, user } = await app.signUp();
    expect((await patch(access_token, { username: 'GINA', current_password: password })).json().errors).toEqual({ username: ['A user with that username already exists.'] });
    expect((await patch(access_token, { email: 'Gina@Example.com', current_password: password })).json().errors).toEqual({ email: ['user with this email already exists.'] });
    const renamed = await patch(access_token, { username: 'Hank', email: 'Hank@Example.COM', current_password: password });
    expect(renamed.statusCode).toBe(200);
    // A new address waits for verification before it replaces the old one.
    expect(renamed.json()).toMatchObject({ username: 'Hank', email: user.email, pending_email: 'Hank@example.com' });
    expect((await logIn(app, 'hank')).user.id).toBe(user.id);
    expect((await logIn(app, user.email)).user.id).toBe(user.id);
    const recase = await patch(access_token, { username: 'HANK', current_password: password });
    expect(recase.statusCode, 'changing only the case of your own name is fine').toBe(200);
  });

  it('keeps usernames unique for an account that signed up with an email only', async () => {
    await app.signUp({ username: 'Ivy', email: 'ivy@example.com' });
    const emailOnly = await app.request({ method: 'POST', url: '/v1/auth/register', payload: { email: 'emailonly@example.com', password } });
    const token = emailOnly.json().access_token;
    const clash = await patch(token, { username: 'ivy', current_password: password });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().errors).toEqual({ username: ['A user with that username already exists.'] });
    const invalid = await patch(token, { username: 'not valid!', current_password: password });
    expect(invalid.statusCode).toBe(400);
    const named = await patch(token, { username: 'Juno', current_password: password });
    expect(named.statusCode).toBe(200);
    expect((await logIn(app, 'JUNO')).user.id, 'the new name logs in').toBe(emailOnly.json().user.id);
  });

  it('validates field shapes with per-field messages', async () => {
    const { access_token } = await app.signUp();
    const res = await patch(access_token, { email: 'nope', phone_number: 'x', date_of_birth: '31/01/2000', first_name: 'bad\u0000name', current_password: password });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().errors).sort()).toEqual(['date_of_birth', 'email', 'first_name', 'phone_number']);
    const long = await patch(access_token, { first_name: 'a'.repeat(151), last_name: 'b'.repeat(151) });
    expect(long.json().errors).toEqual({ first_name: ['Ensure this field has no more than 150 characters.'], last_name: ['Ensure this field has no more than 150 characters.'] });
  });

  it('changes the password: old one checked, other sessions end, this one stays, audited', async () => {
    const a = await app.signUp();
    const b = await logIn(app, a.user.username);
    const wrong = await app.request({ method: 'PUT', url: '/v1/me/password', token: a.access_token, payload: { old_password: 'not it at all', new_password: 'brand new passphrase 7' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'wrong_password', errors: { old_password: ['Wrong password.'] } });
    const weak = await app.request({ method: 'PUT', url: '/v1/me/password', token: a.access_token, payload: { old_password: password, new_password: '12345678' } });
    expect(weak.json().errors.new_password).toContain('This password is too common.');
    const ok = await app.request({ method: 'PUT', url: '/v1/me/password', token: a.access_token, payload: { old_password: password, new_password: 'brand new passphrase 7' }, headers: { 'user-agent': 'PwChange/1' } });
    expect(ok.statusCode).toBe(204);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: a.access_token })).statusCode).toBe(200);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: b.access_token })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/refresh', payload: { refresh_token: b.refresh_token } })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: a.user.username, password } })).statusCode).toBe(401);
    await logIn(app, a.user.username, 'brand new passphrase 7');
    expect((await auditRows(app, 'password.changed', a.user.id)).at(-1)).toMatchObject({ user_agent: 'PwChange/1', detail: { sessions_revoked: 1 } });
    const mail = await app.core.db.selectFrom('outbox').select(['kind', 'to_addr']).where('to_addr', '=', a.user.email).execute();
    expect(mail).toEqual([{ kind: 'password_changed', to_addr: a.user.email }]);
  });

  it('deletes the account after the password is confirmed', async () => {
    const a = await app.signUp();
    const key = (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: a.access_token, payload: { current_password: password } })).json().key;
    const wrong = await app.request({ method: 'DELETE', url: '/v1/me', token: a.access_token, payload: { password: 'not my password' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual({ password: ['Wrong password.'] });
    const missing = await app.request({ method: 'DELETE', url: '/v1/me', token: a.access_token });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual({ password: ['This field is required.'] });
    expect(await userRow(app, a.user.id)).toBeDefined();
    const ok = await app.request({ method: 'DELETE', url: '/v1/me', token: a.access_token, payload: { password } });
    expect(ok.statusCode).toBe(204);
    expect(await userRow(app, a.user.id)).toBeUndefined();
    expect((await app.request({ method: 'GET', url: '/v1/me', token: a.access_token })).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', apiKey: key })).statusCode).toBe(401);
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: a.user.username, password } })).statusCode).toBe(401);
    expect((await auditRows(app, 'account.deleted', a.user.id))).toHaveLength(1);
    const left = await app.core.db.selectFrom('sessions').select('id').where('user_id', '=', a.user.id).execute();
    expect(left).toEqual([]);
  });

  it('shows a dashboard: greeting, account age, sessions and recent security events', async () => {
    const a = await app.signUp({ first_name: 'Kim', last_name: 'Lee' });
    await logIn(app, a.user.username, password, '10.4.4.4');
    await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: a.user.username, password: 'wrong wrong' } });
    app.clock.advance(3 * 86400);
    const later = await logIn(app, a.user.username);
    const res = await app.request({ method: 'GET', url: '/v1/me/dashboard', token: later.access_token });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ greeting: 'Welcome back, Kim Lee!', name: 'Kim Lee', account_age_days: 3, active_sessions: 3 });
    expect(d.recent_security_events.map((e: { kind: string }) => e.kind)).toEqual(['login.succeeded', 'login.failed', 'login.succeeded', 'user.registered']);
    expect(d.recent_security_events[2]).toMatchObject({ ip: '10.4.4.4' });
    const byToken = await app.request({ method: 'GET', url: '/v1/me/dashboard', apiKey: (await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: later.access_token, payload: { current_password: password } })).json().key });
    expect(byToken.statusCode).toBe(200);
  });
});
