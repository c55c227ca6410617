import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { formBody, multipartBody } from '../support/multipart.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { auditRows, countRows, password } from './support.js';

describe.each(backends)('API tokens on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Creates a token the honest way: from a session, with the current password. */
  const create = (token: string, payload: Record<string, unknown> | undefined = {}, extra: Record<string, unknown> = {}) =>
    app.request({ method: 'POST', url: '/v1/me/api-tokens', token, payload: payload && { current_password: password, ...payload }, ...extra });
  const me = (apiKey: string) => app.request({ method: 'GET', url: '/v1/me', apiKey });

  it('shows the key once, stores only its digest, and authenticates with the Token scheme', async () => {
    const { access_token, user } = await app.signUp();
    const res = await create(access_token, { name: 'deploy bot' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'deploy bot', last_used_at: null, expires_at: null });
    expect(body.key).toMatch(/^gh_[A-Za-z0-9_-]{40}$/);
    expect(body.prefix).toBe(body.key.slice(0, 7));
    const row = await app.core.db.selectFrom('api_tokens').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(tokenDigest(body.key));
    expect(JSON.stringify(row)).not.toContain(body.key);
    const list = await app.request({ method: 'GET', url: '/v1/me/api-tokens', token: access_token });
    expect(list.json()).toHaveLength(1);
    expect(JSON.stringify(list.json())).not.toContain(body.key);
    expect(list.json()[0]).toMatchObject({ id: body.id, name: 'deploy bot', prefix: body.prefix });
    expect((await me(body.key)).json().id).toBe(user.id);
    expect((await app.request({ method: 'GET', url: '/v1/me', headers: { authorization: `token ${body.key}` } })).statusCode, 'scheme is case-insensitive').toBe(200);
    expect((await app.request({ method: 'GET', url: '/v1/me', token: body.key })).statusCode, 'not a Bearer token').toBe(401);
  });

  it('accepts form and multipart bodies, with expires_in_days as a string', async () => {
    const { access_token } = await app.signUp();
    const form = await create(access_token, undefined, formBody({ name: 'form', expires_in_days: '30', current_password: password }));
    expect(form.statusCode, form.body).toBe(201);
    expect(Date.parse(form.json().expires_at) - Date.parse(form.json().created_at)).toBe(30 * 86_400_000);
    const multi = await create(access_token, undefined, multipartBody({ name: 'multi', expires_in_days: '7', current_password: password }));
    expect(multi.statusCode, multi.body).toBe(201);
    const bad = await create(access_token, undefined, formBody({ name: 'x', expires_in_days: 'soon', current_password: password }));
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().errors)).toEqual(['expires_in_days']);
  });

  it('stops working at once when deleted, even after it was cached', async () => {
    const { access_token, user } = await app.signUp();
    const { key, id } = (await create(access_token, { name: 'temp' })).json();
    expect((await me(key)).statusCode).toBe(200);
    const del = await app.request({ method: 'DELETE', url: `/v1/me/api-tokens/${id}`, token: access_token });
    expect(del.statusCode).toBe(204);
    expect((await me(key)).statusCode).toBe(401);
    expect((await app.request({ method: 'DELETE', url: `/v1/me/api-tokens/${id}`, token: access_token })).statusCode).toBe(404);
    expect((await auditRows(app, 'api_token.created', user.id)).at(-1)!.detail).toMatchObject({ id, name: 'temp' });
    expect((await auditRows(app, 'api_token.deleted', user.id)).at(-1)!.detail).toEqual({ ids: [id] });
  });

  it('DELETE /v1/me/api-tokens removes them all', async () => {
    const { access_token } = await app.signUp();
    const keys = [(await create(access_token)).json().key, (await create(access_token)).json().key];
    const res = await app.request({ method: 'DELETE', url: '/v1/me/api-tokens', token: access_token });
    expect(res.json()).toEqual({ deleted: 2 });
    for (const key of keys) expect((await me(key)).statusCode).toBe(401);
  });

  it('expires after expires_in_days', async () => {
    const { access_token } = await app.signUp();
    const { key } = (await create(access_token, { expires_in_days: 1 })).json();
    expect((await me(key)).statusCode).toBe(200);
    app.clock.advance(86400);
    const res = await me(key);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('token_expired');
  });

  it("cannot delete someone else's token, and an API token cannot mint or delete tokens (403)", async () => {
    const owner = await app.signUp();
    const other = await app.signUp();
    const { key, id } = (await create(owner.access_token)).json();
    expect((await app.request({ method: 'DELETE', url: `/v1/me/api-tokens/${id}`, token: other.access_token })).statusCode).toBe(404);
    expect((await me(key)).statusCode).toBe(200);
    for (const [method, url] of [['POST', '/v1/me/api-tokens'], ['GET', '/v1/me/api-tokens'], ['DELETE', `/v1/me/api-tokens/${id}`]] as const) {
      const res = await app.request({ method, url, apiKey: key, payload: method === 'POST' ? { current_password: password } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('refuses bad names and lifetimes with field errors, and unknown keys with 401', async () => {
    const { access_token } = await app.signUp();
    expect((await create(access_token, { name: '   ' })).json().errors).toHaveProperty('name');
    expect((await create(access_token, { name: 'x'.repeat(101) })).json().errors).toHaveProperty('name');
    expect((await create(access_token, { expires_in_days: 0 })).json().errors).toHaveProperty('expires_in_days');
    expect((await create(access_token, { expires_in_days: 1.5 })).json().errors).toHaveProperty('expires_in_days');
    expect((await create(access_token, { expires_in_days: '7' })).statusCode, 'JSON keeps strict types').toBe(400);
    for (const key of ['gh_unknown', 'x'.repeat(300), 'gh_\u00e9']) expect((await me(key)).statusCode).toBe(401);
    expect((await app.request({ method: 'GET', url: '/v1/me', headers: { authorization: 'Token a b' } })).statusCode).toBe(401);
  });
  it('attack: a stolen API token mints more API tokens', async () => {
    const { access_token, user } = await app.signUp();
    const { key } = (await create(access_token, { name: 'stolen' })).json();
    const before = await countRows(app, 'api_tokens');
    // The thief knows the key, and (worst case) the password too.
    for (const payload of [{}, { name: 'mine' }, { name: 'mine', current_password: password }]) {
      const res = await app.request({ method: 'POST', url: '/v1/me/api-tokens', apiKey: key, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(403);
      expect(res.json().code).toBe('permission_denied');
    }
    expect(await countRows(app, 'api_tokens')).toBe(before);
    expect((await auditRows(app, 'api_token.created', user.id))).toHaveLength(1);
  });

  it('attack: a stolen session mints an API token without the password', async () => {
    const { access_token, user } = await app.signUp();
    const before = await countRows(app, 'api_tokens');
    const bare = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { name: 'backdoor' } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ code: 'validation_failed', errors: { current_password: ['This field is required.'] } });
    expect(bare.body).not.toMatch(/gh_/);
    const guessed = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { name: 'backdoor', current_password: 'password123' } });
    expect(guessed.statusCode).toBe(400);
    expect(guessed.json()).toMatchObject({ code: 'wrong_password', errors: { current_password: ['Wrong password.'] } });
    expect(await countRows(app, 'api_tokens')).toBe(before);
    expect(await auditRows(app, 'api_token.created', user.id)).toHaveLength(0);
  });

  it('refuses a bad current_password with a field error and creates nothing', async () => {
    const { access_token } = await app.signUp();
    const before = await countRows(app, 'api_tokens');
    const cases: [string, unknown, string][] = [
      ['empty', '', 'validation_failed'],
      ['a number', 12345678, 'validation_failed'],
      ['an object', { $ne: '' }, 'validation_failed'],
      ['null', null, 'validation_failed'],
      ['oversized', 'x'.repeat(4097), 'validation_failed'],
      ['a NUL byte', `${password}\u0000`, 'wrong_password'],
      ['wrong', 'not the password at all', 'wrong_password'],
    ];
    for (const [label, current_password, code] of cases) {
      const res = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { name: 'x', current_password } });
      expect(res.statusCode, label).toBe(400);
      expect(res.json().code, label).toBe(code);
      expect(res.json().errors, label).toHaveProperty('current_password');
    }
    // Name errors and a missing password are reported together, before the password is checked.
    const both = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: access_token, payload: { name: '   ' } });
    expect(Object.keys(both.json().errors).sort()).toEqual(['current_password', 'name']);
    expect(await countRows(app, 'api_tokens')).toBe(before);
  });
});
