import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { encodeFeedCursor, longestAccessMs, settleMs } from '../../src/core/revocation-feed.js';
import { revokeServiceKeyById } from '../../src/core/service-keys.js';
import { revokedSession, serviceKey } from './support.js';

describe.each(backends)('GET /v1/revocations on %s', (backend) => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    key = (await serviceKey(app)).key;
  });
  afterAll(async () => {
    await app?.close();
  });

  const feed = (query = '', authorization: string | null = `Bearer ${key}`) =>
    app.request({ method: 'GET', url: `/v1/revocations${query}`, headers: authorization ? { authorization } : {} });

  it('lists a logged-out session with its revocation time and the bound on its tokens', async () => {
    const { sid } = await revokedSession(app);
    const res = await feed();
    expect(res.statusCode).toBe(200);
    const entry = res.json().revocations.find((e: { sid: string }) => e.sid === sid);
    const row = await app.core.db.selectFrom('sessions').select(['revoked_at', 'expires_at']).where('id', '=', sid).executeTakeFirstOrThrow();
    expect(entry).toEqual({ sid, revoked_at: Number(row.revoked_at), not_after: Math.min(Number(row.expires_at), Number(row.revoked_at) + longestAccessMs) });
    expect(typeof res.json().cursor).toBe('string');
  });

  it('pages by cursor in revocation order, every entry once, ties on revoked_at ordered by sid', async () => {
    app.clock.advance(settleMs / 1000 + 1);
    const before = (await feed('?limit=1000')).json();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await revokedSession(app)).sid);
      app.clock.advance(0.001);
    }
    const seen: string[] = [];
    let cursor = before.cursor as string;
    for (let pages = 0; pages < 10; pages++) {
      const page = (await feed(`?after=${cursor}&limit=2`)).json();
      expect(page.revocations.length).toBeLessThanOrEqual(2);
      seen.push(...page.revocations.map((e: { sid: string }) => e.sid));
      cursor = page.cursor;
      if (!page.has_more) break;
    }
    expect(seen).toEqual(made);
    // The last page's cursor stays settleMs behind: the next poll reads the recent entries again…
    const again = (await feed(`?after=${cursor}`)).json();
    expect(again.revocations.map((e: { sid: string }) => e.sid)).toEqual(made);
    // …until they are older than that: then the cursor passes them and nothing is repeated.
    app.clock.advance(settleMs / 1000 + 1);
    const settled = (await feed(`?after=${again.cursor}`)).json();
    expect(settled.revocations.map((e: { sid: string }) => e.sid)).toEqual(made);
    const quiet = (await feed(`?after=${settled.cursor}`)).json();
    expect(quiet.revocations).toEqual([]);
    expect(quiet.has_more).toBe(false);

    // Two in the same millisecond: both listed (in the database's collation order of sid), and a
    // cursor between them (a full page of one) leads to the other.
    const tied = [await revokedSession(app), await revokedSession(app)].map((s) => s.sid);
    const next = (await feed(`?after=${quiet.cursor}`)).json();
    expect([...next.revocations.map((e: { sid: string }) => e.sid)].sort()).toEqual([...tied].sort());
    const one = (await feed(`?after=${quiet.cursor}&limit=1`)).json();
    expect(one.has_more).toBe(true);
    const rest = (await feed(`?after=${one.cursor}&limit=1`)).json();
    expect([one.revocations[0].sid, rest.revocations[0].sid]).toEqual(next.revocations.map((e: { sid: string }) => e.sid));
  });

  it('still delivers a revocation that commits late with a time just before the cursor', async () => {
    app.clock.advance(settleMs / 1000 + 1);
    const user = await app.signUp();
    const cursor = (await feed('?limit=1000')).json().cursor as string;
    const sid = JSON.parse(Buffer.from(user.access_token.split('.')[1], 'base64url').toString()).sid as string;
    // Stamped 3 s ago (a slow commit, or another instance's clock), visible only now.
    await app.core.db.updateTable('sessions').set({ revoked_at: app.clock.now() - 3000, revoke_reason: 'test' }).where('id', '=', sid).execute();
    const page = (await feed(`?after=${cursor}`)).json();
    expect(page.revocations.map((e: { sid: string }) => e.sid)).toContain(sid);
  });

  it('drops entries once their tokens have all expired (the longest access-token lifetime)', async () => {
    const { sid } = await revokedSession(app);
    const listed = async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = (await feed(`?limit=1000${cursor ? `&after=${cursor}` : ''}`)).json();
        ids.push(...page.revocations.map((e: { sid: string }) => e.sid));
        cursor = page.cursor;
        if (!page.has_more) return ids;
      }
    };
    expect(await listed()).toContain(sid);
    app.clock.advance(longestAccessMs / 1000 - 1);
    expect(await listed()).toContain(sid);
    app.clock.advance(2);
    expect(await listed()).not.toContain(sid);
    // A cursor from before the window still works: it starts at the window.
    const old = (await feed(`?after=${encodeFeedCursor({ at: 1, id: 'x' })}`));
    expect(old.statusCode).toBe(200);
    expect(old.json().revocations.map((e: { sid: string }) => e.sid)).not.toContain(sid);
  });

  it('answers 401 without a service key, to user access tokens and API tokens, and to a revoked key', async () => {
    expect((await feed('', null)).statusCode).toBe(401);
    const user = await app.signUp();
    expect((await feed('', `Bearer ${user.access_token}`)).statusCode).toBe(401);
    const minted = await app.request({ method: 'POST', url: '/v1/me/api-tokens', token: user.access_token, payload: { name: 'x', current_password: 'a sturdy passphrase 42' } });
    expect(minted.statusCode).toBe(201);
    expect((await feed('', `Token ${minted.json().key}`)).statusCode).toBe(401);
    expect((await feed('', `Bearer gsk_${'A'.repeat(43)}`)).statusCode).toBe(401);
    const doomed = await serviceKey(app, 'doomed');
    expect((await feed('', `Bearer ${doomed.key}`)).statusCode).toBe(200);
    await revokeServiceKeyById(app.core, doomed.id);
    const refused = await feed('', `Bearer ${doomed.key}`);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a service key authenticates nothing but the feed', async () => {
    for (const url of ['/v1/me', '/v1/me/sessions', '/v1/admin/users', '/v1/admin/service-keys']) {
      for (const scheme of ['Bearer', 'Token']) {
        const res = await app.request({ method: 'GET', url, headers: { authorization: `${scheme} ${key}` } });
        expect(res.statusCode, `${scheme} on ${url}`).toBe(401);
      }
    }
  });

  it('refuses junk, foreign, oversized and odd-Unicode cursors and page sizes with a 400 naming the field', async () => {
    const foreign = Buffer.from(JSON.stringify({ s: 'users', k: 1, i: 1 })).toString('base64url');
    const badId = Buffer.from(JSON.stringify({ s: 'revocations', k: 1, i: 'a\u0000b' })).toString('base64url');
    const negative = Buffer.from(JSON.stringify({ s: 'revocations', k: -1, i: 'a' })).toString('base64url');
    const extra = Buffer.from(JSON.stringify({ s: 'revocations', k: 1, i: 'a', x: 1 })).toString('base64url');
    for (const after of ['junk!', '%00', 'e30', foreign, badId, negative, extra, '%F0%9F%92%A9', '%ED%A0%80', 'A'.repeat(601)]) {
      const res = await feed(`?after=${after}`);
      expect(res.statusCode, after).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const res = await feed(`?after=${foreign}`);
    expect(res.json().errors).toHaveProperty('after');
    for (const limit of ['0x10', '-1', '99999', 'abc']) expect((await feed(`?limit=${limit}`)).statusCode, limit).toBe(400);
    // Within the bound the size is clamped, never refused.
    const big = await feed('?limit=5000');
    expect(big.statusCode).toBe(200);
  });

  it('never stores or logs the key itself', async () => {
    const made = await serviceKey(app, 'secret check');
    await feed('', `Bearer ${made.key}`);
    const row = await app.core.db.selectFrom('service_keys').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    expect(Object.values(row).map(String)).not.toContain(made.key);
    expect(row.key_hash).not.toContain(made.key.slice(4));
    expect(app.logs.join('\n')).not.toContain(made.key.slice(4));
  });
});
