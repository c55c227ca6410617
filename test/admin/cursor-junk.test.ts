import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { consoleLogin, person, type Person } from './support.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** A cursor as the server would make it, but with any shape. */
const cursorOf = (value: unknown) => b64(JSON.stringify(value));

/** Every paginated list: where it lives, the scope its cursors carry, and what its sort key is. */
const lists = [
  { name: 'users by date joined', url: '/v1/admin/users', console: '/admin/users', scope: 'date_joined:desc', key: 'integer' },
  { name: 'users by username', url: '/v1/admin/users?sort=username&order=asc', console: '/admin/users?sort=username&order=asc', scope: 'username:asc', key: 'text' },
  { name: 'users by last login', url: '/v1/admin/users?sort=last_login&order=asc', console: '/admin/users?sort=last_login&order=asc', scope: 'last_login:asc', key: 'integer' },
  { name: 'audit log', url: '/v1/admin/audit', console: '/admin/audit', scope: 'audit', key: 'integer' },
  { name: 'mail outbox', url: '/v1/admin/mail', console: '/admin/mail', scope: 'mail:', key: 'none' },
] as const;

type List = (typeof lists)[number];

/** Junk for one list's `cursor` parameter (already URL-encoded). */
function junkCursors(list: List): [string, string][] {
  const s = list.scope;
  const key = list.key === 'text' ? 'alice' : list.key === 'integer' ? 1 : undefined;
  const valid = cursorOf({ s, k: key, i: 1 });
  return [
    ['a raw NUL', '%00'],
    ['a NUL after a valid cursor', `${valid}%00`],
    ['base64 of NUL', b64('\u0000')],
    ['base64 of non-JSON', b64('not json {')],
    ['base64 of JSON null', b64('null')],
    ['base64 of a JSON array', cursorOf([s, key, 1])],
    ['base64 of a JSON number', b64('42')],
    ['a string id', cursorOf({ s, k: key, i: '1' })],
    ['a negative id', cursorOf({ s, k: key, i: -1 })],
    ['a zero id', cursorOf({ s, k: key, i: 0 })],
    ['a fractional id', cursorOf({ s, k: key, i: 1.5 })],
    ['an id of 1e309', b64(`{"s":"${s}","k":${JSON.stringify(key ?? null)},"i":1e309}`)],
    ['an unsafe integer id', b64(`{"s":"${s}","i":9007199254740993}`)],
    ['a nested object key', cursorOf({ s, k: { $gt: '' }, i: 1 })],
    ['an array key', cursorOf({ s, k: [1], i: 1 })],
    ['a boolean key', cursorOf({ s, k: true, i: 1 })],
    ['a null key', cursorOf({ s, k: null, i: 1 })],
    ['a negative key', cursorOf({ s, k: -5, i: 1 })],
    ['a key of 1e309', b64(`{"s":"${s}","k":1e309,"i":1}`)],
    ['a key of the wrong type', cursorOf({ s, k: list.key === 'text' ? 7 : 'alice', i: 1 })],
    ['a NUL in the key', cursorOf({ s, k: 'a\u0000b', i: 1 })],
    ['a lone surrogate in the key', cursorOf({ s, k: 'a\ud800', i: 1 })],
    ['a control character in the key', cursorOf({ s, k: 'bell\u0007', i: 1 })],
    ['an over-long key', cursorOf({ s, k: 'k'.repeat(400), i: 1 })],
    ['another list\'s scope', cursorOf({ s: 'elsewhere', k: key, i: 1 })],
    ['an extra field', cursorOf({ s, k: key, i: 1, x: 1 })],
    ['no id', cursorOf({ s, k: key })],
    ['oversized (10 KB)', 'A'.repeat(10 * 1024)],
    ['oversized JSON (10 KB)', cursorOf({ s, k: 'x'.repeat(10 * 1024), i: 1 })],
    ['an emoji', '%F0%9F%A6%8A'],
    ['a lone surrogate (%ED%A0%80)', '%ED%A0%80'],
    ['invalid percent-encoding', '%FF%FE'],
    ['empty', ''],
  ];
}

const withParam = (url: string, param: string) => `${url}${url.includes('?') ? '&' : '?'}${param}`;

describe.each(backends)('admin list cursors and queries on %s', (backend) => {
  let app: TestApp;
  let su: Person;
  let console_: { cookie: string };

  const get = (url: string) => app.request({ method: 'GET', url, token: su.token });

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    su = await person(app, 'superuser');
    await person(app, 'user');
    console_ = await consoleLogin(app, su.username);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attack: a NUL byte in the users-list cursor is a 500 on PostgreSQL', async () => {
    const cursor = cursorOf({ s: 'username:asc', k: 'a\u0000', i: 1 });
    const res = await get(`/v1/admin/users?sort=username&order=asc&cursor=${cursor}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual({ cursor: ['Invalid cursor.'] });
  });

  it('still pages with the cursors it hands out', async () => {
    for (const list of lists) {
      const first = await get(withParam(list.url, 'limit=1'));
      expect(first.statusCode, `${list.name}: ${first.body.slice(0, 200)}`).toBe(200);
      const next = first.json().next_cursor as string | null;
      if (!next) continue;
      const second = await get(withParam(list.url, `limit=1&cursor=${next}`));
      expect(second.statusCode, `${list.name}: ${second.body.slice(0, 200)}`).toBe(200);
      expect(second.json().items[0]?.id).not.toBe(first.json().items[0]?.id);
    }
  });

  for (const list of lists) {
    it(`answers junk cursors on the ${list.name} API with a 400 naming the cursor`, async () => {
      for (const [name, cursor] of junkCursors(list)) {
        const res = await get(withParam(list.url, `cursor=${cursor}`));
        expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(res.headers['content-type'], name).toContain('application/problem+json');
        expect(Object.keys(res.json().errors ?? {}), name).toEqual(['cursor']);
      }
      const twice = await get(withParam(list.url, 'cursor=a&cursor=b'));
      expect(twice.statusCode, `a repeated cursor: ${twice.body.slice(0, 200)}`).toBe(400);
    });

    it(`never fails on junk cursors in the ${list.name} console page`, async () => {
      for (const [name, cursor] of junkCursors(list)) {
        const res = await app.request({ method: 'GET', url: withParam(list.console, `cursor=${cursor}`), headers: { cookie: console_.cookie } });
        expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }
      const twice = await app.request({ method: 'GET', url: withParam(list.console, 'cursor=a&cursor=b'), headers: { cookie: console_.cookie } });
      expect(twice.statusCode).toBeLessThan(500);
    });
  }

  it('answers junk in the other list parameters with a 400, never a 5xx', async () => {
    const bad: [string, string][] = [
      ['q with NUL', '/v1/admin/users?q=a%00b'],
      ['q with a control character', '/v1/admin/users?q=bell%07'],
      ['q over-long', `/v1/admin/users?q=${'x'.repeat(201)}`],
      ['q of 201 emoji', `/v1/admin/users?q=${'%F0%9F%A6%8A'.repeat(201)}`],
      ['limit with NUL', '/v1/admin/users?limit=1%00'],
      ['limit negative', '/v1/admin/users?limit=-1'],
      ['limit 1e309', '/v1/admin/users?limit=1e309'],
      ['limit too long', '/v1/admin/users?limit=99999'],
      ['sort with NUL', '/v1/admin/users?sort=id%00'],
      ['active with NUL', '/v1/admin/users?active=true%00'],
      ['joined_from with NUL', '/v1/admin/users?joined_from=2026-01-01%00'],
      ['joined_to emoji', '/v1/admin/users?joined_to=%F0%9F%A6%8A'],
      ['audit user_id with NUL', '/v1/admin/audit?user_id=1%00'],
      ['audit user_id 1e309', '/v1/admin/audit?user_id=1e309'],
      ['audit kind with NUL', '/v1/admin/audit?kind=login.%00'],
      ['audit kind with a lone surrogate', '/v1/admin/audit?kind=%ED%A0%80'],
      ['audit kind over-long', `/v1/admin/audit?kind=${'a'.repeat(65)}`],
      ['audit from with NUL', '/v1/admin/audit?from=2026-01-01%00'],
      ['audit limit with NUL', '/v1/admin/audit?limit=5%00'],
      ['mail status with NUL', '/v1/admin/mail?status=sent%00'],
      ['mail limit with NUL', '/v1/admin/mail?limit=5%00'],
      ['export kind with NUL', '/v1/admin/audit/export?kind=a%00'],
    ];
    for (const [name, url] of bad) {
      const res = await get(url);
      expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.headers['content-type'], name).toContain('application/problem+json');
    }
  });

  it('keeps odd but valid Unicode in the search, and never fails on odd Unicode', async () => {
    const fine = [
      '%F0%9F%A6%8A', // 🦊
      'Zo%C3%AB', // Zoë
      '%E2%80%AE', // right-to-left override
      '%EF%BF%BF', // a noncharacter
      '%EF%BB%BF', // a byte-order mark
      'e%CC%81%CC%81%CC%81', // stacked combining marks
      '%EF%B7%BD', // ﷽
      `${'%F0%9F%A6%8A'.repeat(200)}`, // 200 emoji: 200 characters
      '%25%5F%5C', // LIKE wildcards, taken literally
    ];
    for (const q of fine) {
      const res = await get(`/v1/admin/users?q=${q}`);
      expect(res.statusCode, `${q}: ${res.body.slice(0, 200)}`).toBe(200);
    }
    for (const q of ['%ED%A0%80', '%FF%FE', '%C0%80', '%E0%80%80']) {
      const res = await get(`/v1/admin/users?q=${q}`);
      expect(res.statusCode, `${q}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      const page = await app.request({ method: 'GET', url: `/admin/users?q=${q}`, headers: { cookie: console_.cookie } });
      expect(page.statusCode, `console ${q}: ${page.body.slice(0, 200)}`).toBeLessThan(500);
    }
  });
});
