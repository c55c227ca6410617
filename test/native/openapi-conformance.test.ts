import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, relaxRateLimits, type TestApp } from '../support/app.js';
import { tinyPng } from '../support/png.js';
import { createSuperuser } from '../../src/core/superuser.js';
import { password } from './support.js';
import { OpenApiCheck, type OpenApi, type Operation, type Schema } from '../support/openapi-check.js';

/*
 * A fuzzer against the served OpenAPI document: every native and admin operation gets a set of
 * requests (good and bad credentials, malformed, mistyped, oversized and extra-field bodies, bad
 * path and query parameters), over a real socket; every answer must be documented for its
 * operation: its status, its content type and, for JSON, its body against the documented schema.
 * The document and the routes are the same whatever the database, so this runs on SQLite only.
 */

interface Probe { label: string; path: string; headers: Record<string, string>; body?: string | FormData }

const bodyMethods = new Set(['post', 'put', 'patch', 'delete']);

/** A value the schema accepts in shape (real enough to reach the handler, not to satisfy every rule). */
function sample(schema: Schema | undefined, name = ''): unknown {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const type = types.find((t) => t !== 'null');
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, k)]));
    }
    case 'string':
      if (/email/.test(name)) return `fuzz${Math.random().toString(36).slice(2, 8)}@example.com`;
      if (/password/.test(name)) return password;
      if (name === 'date_of_birth') return '2000-01-01';
      return 'sample'.slice(0, Number(schema.maxLength ?? 6));
    case 'integer':
    case 'number':
      return Math.max(1, Number(schema.minimum ?? 1));
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample(schema.items as Schema));
    default:
      return undefined;
  }
}

describe('the OpenAPI document matches every answer of the native and admin APIs (SQLite)', () => {
  let app: TestApp;
  let base: string;
  let doc: OpenApi;
  let check: OpenApiCheck;

  let userId: number;
  let apiKey: string;
  let staffToken: string;

  beforeAll(async () => {
    app = await testApp('sqlite');
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApi;
    check = new OpenApiCheck(doc);

    const user = await app.signUp({ password });
    userId = user.user.id;
    const form = new FormData();
    form.append('avatar', new Blob([new Uint8Array(tinyPng(3, 3))], { type: 'image/png' }), 'a.png');
    expect((await fetch(`${base}/v1/me/avatar`, { method: 'PUT', headers: { authorization: `Bearer ${user.access_token}` }, body: form })).status).toBe(200);
    const minted = await fetch(`${base}/v1/me/api-tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${user.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fuzz', current_password: password }),
    });
    apiKey = ((await minted.json()) as { key: string }).key;
    await createSuperuser(app.core, { username: `fuzzboss${process.pid}`, email: `fuzzboss${process.pid}@example.com`, password });
    staffToken = await logIn(`fuzzboss${process.pid}`);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function logIn(login: string): Promise<string> {
    const res = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  /** Path parameters of a probe: a real user for `{id}` (a fresh victim on admin routes), made-up ids elsewhere. */
  async function pathFor(path: string, admin: boolean): Promise<string> {
    if (!path.includes('{')) return path;
    const id = admin && path.startsWith('/v1/admin/users/') ? (await app.signUp({ password })).user.id : path.startsWith('/v1/admin/mail/') ? 1 : userId;
    return path.replace('{id}', path.startsWith('/v1/me/') ? 'no-such-id' : String(id)).replace('{sessionId}', 'no-such-session');
  }

  /** The requests one operation gets. */
  async function probes(method: string, path: string, op: Operation): Promise<Probe[]> {
    const admin = path.startsWith('/v1/admin/');
    // Native probes act as a fresh account each: some of them log out, change the password or delete the account.
    const token = admin ? staffToken : (await app.signUp({ password })).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const url = await pathFor(path, admin);
    const bodySchema = op.requestBody?.content['application/json']?.schema;
    const takesBody = bodyMethods.has(method);
    const good = takesBody && bodySchema ? JSON.stringify(sample(bodySchema)) : undefined;
    const json = { 'content-type': 'application/json' };
    const list: Probe[] = [
      { label: 'no credentials', path: url, headers: good ? json : {}, body: good },
      { label: 'a bad token', path: url, headers: { ...(good ? json : {}), authorization: 'Bearer not-a-token' }, body: good },
      { label: 'a Token credential', path: url, headers: { ...(good ? json : {}), authorization: `Token ${apiKey}` }, body: good },
      { label: 'good credentials', path: url, headers: { ...(good ? json : {}), ...auth }, body: good },
    ];
    if (takesBody) {
      list.push(
        { label: 'extra fields', path: url, headers: { ...json, ...auth }, body: JSON.stringify({ ...((good ? JSON.parse(good) : {}) as object), unexpected_field: 'x' }) },
        { label: 'malformed JSON', path: url, headers: { ...json, ...auth }, body: '{"oops":' },
        { label: 'a JSON array', path: url, headers: { ...json, ...auth }, body: '[1,2]' },
        { label: 'text/plain', path: url, headers: { 'content-type': 'text/plain', ...auth }, body: 'hello' },
        { label: 'an unknown content type', path: url, headers: { 'content-type': 'application/x-fuzz', ...auth }, body: 'hello' },
        { label: 'an oversized body', path: url, headers: { ...json, ...auth }, body: JSON.stringify({ bio: 'x'.repeat(app.config.bodyLimitBytes + 1) }) },
      );
    }
    if (path.includes('{')) {
      list.push({ label: 'a bad path parameter', path: path.replace(/\{[^}]+\}/g, 'bad%20id!'), headers: auth });
      list.push({ label: 'an over-long path parameter', path: path.replace(/\{[^}]+\}/g, '9'.repeat(40)), headers: auth });
    }
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    if (query.length) {
      list.push({ label: 'an unknown query parameter', path: `${url}?unexpected_param=1`, headers: auth });
      for (const p of query) {
        list.push({ label: `a bad ${p.name}`, path: `${url}?${p.name}=%00not-valid%00`, headers: auth });
        for (const value of (p.schema?.enum as string[] | undefined) ?? []) list.push({ label: `${p.name}=${value}`, path: `${url}?${p.name}=${value}`, headers: auth });
      }
    }
    if (method === 'get') list.push({ label: 'If-None-Match: *', path: url, headers: { ...auth, 'if-none-match': '*' } });
    return list;
  }

  const mismatches = (where: string, op: Operation, status: number, contentType: string, text: string) => check.mismatches(where, op, status, contentType, text);

  it('documents the status, content type and body of every answer to every probe', async () => {
    const problems: string[] = [];
    const seen = new Map<number, number>();
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        for (const probe of await probes(method, path, op)) {
          const res = await fetch(`${base}${probe.path}`, { method: method.toUpperCase(), headers: probe.headers, body: probe.body, redirect: 'manual' });
          const text = await res.text();
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          problems.push(...mismatches(`${method.toUpperCase()} ${path} with ${probe.label} → ${res.status}`, op, res.status, res.headers.get('content-type') ?? '', text));
        }
      }
    }
    expect(problems).toEqual([]);
    // The fuzzer reached the handlers, not only the guards: successes and each kind of refusal were answered and checked.
    expect(operations).toBeGreaterThan(40);
    for (const status of [200, 201, 202, 204, 304, 400, 401, 403, 404, 413, 415]) expect(seen.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
  });

  it('documents the avatar image and the audit export by the content types they are sent with', async () => {
    const avatar = doc.paths['/v1/users/{id}/avatar']!.get!.responses;
    expect(Object.keys(avatar).sort()).toEqual(['200', '304', '400', '404', '503']);
    expect(Object.keys(avatar['200']!.content!)).toEqual(expect.arrayContaining(['image/png', 'image/jpeg', 'image/gif', 'image/webp']));
    const image = await fetch(`${base}/v1/users/${userId}/avatar`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(mismatches('avatar', doc.paths['/v1/users/{id}/avatar']!.get!, image.status, 'image/png', '')).toEqual([]);

    const exportOp = doc.paths['/v1/admin/audit/export']!.get!;
    expect(Object.keys(exportOp.responses['200']!.content!).sort()).toEqual(['application/json', 'text/csv']);
    for (const format of ['csv', 'json']) {
      const res = await fetch(`${base}/v1/admin/audit/export?format=${format}`, { headers: { authorization: `Bearer ${staffToken}` } });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(mismatches(`export ${format}`, exportOp, res.status, res.headers.get('content-type') ?? '', text)).toEqual([]);
      if (format === 'json') expect((JSON.parse(text) as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('documents the 429 of every route that checks the current password (they spend the login budget)', async () => {
    await app.core.settings.update({ rate_login_account: 1 }, null);
    try {
      const routes: [string, string, Record<string, unknown>][] = [
        ['patch', '/v1/me', { username: 'renamed', current_password: 'wrong' }],
        ['delete', '/v1/me', { password: 'wrong' }],
        ['put', '/v1/me/password', { old_password: 'wrong', new_password: 'another sturdy passphrase' }],
        ['post', '/v1/me/api-tokens', { name: 'x', current_password: 'wrong' }],
      ];
      for (const [method, path, payload] of routes) {
        const { access_token } = await app.signUp({ password });
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${base}${path}`, { method: method.toUpperCase(), headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
          statuses.push(res.status);
          expect(mismatches(`${method} ${path}`, doc.paths[path]![method]!, res.status, res.headers.get('content-type') ?? '', await res.text())).toEqual([]);
        }
        expect(statuses, `${method} ${path}`).toContain(429);
      }
    } finally {
      await relaxRateLimits(app);
    }
  });

  it('documents every error as application/problem+json with the Problem schema', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content, `${method} ${path} ${status}`).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
        }
      }
    }
  });
});
