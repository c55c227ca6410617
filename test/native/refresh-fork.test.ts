import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { tokenDigest } from '../../src/core/secrets.js';
import { successorToken } from '../../src/core/sessions.js';
import { compatApp, strong } from '../compat/support.js';
import { claims } from './support.js';

/** The refresh rows of one session, and whether each is spent. */
async function chain(app: TestApp, sessionId: string) {
  return app.core.db.selectFrom('refresh_tokens').select(['token_hash', 'rotated_at']).where('session_id', '=', sessionId).execute();
}

describe.each(backends)('refresh rotation under concurrency on %s', (backend) => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await testApp(backend);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const refresh = async (refresh_token: string) => {
    const res = await fetch(`${base}/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token }) });
    return { status: res.status, body: await res.json() };
  };
  const me = async (token: string) => (await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('attack: the refresh grace window forks the session', async () => {
    const { refresh_token, access_token } = await app.signUp();
    const sid = claims(access_token).payload.sid as string;
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(refresh_token)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const successors = new Set(answers.map((a) => a.body.refresh_token));
    expect(successors.size, 'every presentation inside the grace window gets the same successor').toBe(1);
    const [successor] = [...successors] as [string];
    expect(successor).not.toBe(refresh_token);
    for (const a of answers) expect(claims(a.body.access_token).payload.sid).toBe(sid);

    // The chain is linear: the presented token, spent, and exactly one live successor.
    const rows = await chain(app, sid);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.token_hash === tokenDigest(refresh_token))?.rotated_at).not.toBeNull();
    expect(rows.filter((r) => r.rotated_at === null).map((r) => r.token_hash)).toEqual([tokenDigest(successor)]);
    expect(await me(answers[7]!.body.access_token)).toBe(200);

    // The successor rotates on as usual, to one next token.
    const next = await refresh(successor);
    expect(next.status).toBe(200);
    expect((await chain(app, sid)).filter((r) => r.rotated_at === null).map((r) => r.token_hash)).toEqual([tokenDigest(next.body.refresh_token)]);
  });

  it('a late presentation of the grandparent within its grace window resurrects nothing: it is reuse', async () => {
    const { refresh_token: grandparent, access_token } = await app.signUp();
    const sid = claims(access_token).payload.sid as string;
    const parent = (await refresh(grandparent)).body.refresh_token as string;
    app.clock.advance(2);
    const child = await refresh(parent);
    expect(child.status).toBe(200);
    app.clock.advance(2);
    const late = await refresh(grandparent);
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('refresh_token_reused');
    expect(await chain(app, sid), 'no row was added or revived').toHaveLength(3);
    expect((await refresh(child.body.refresh_token)).status, 'the session is over').toBe(401);
    expect(await me(child.body.access_token)).toBe(401);
  });

  it('keeps a reuse outside the grace window fatal, also for a token presented in parallel before', async () => {
    const { refresh_token } = await app.signUp();
    const [a, b] = await Promise.all([refresh(refresh_token), refresh(refresh_token)]);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    app.clock.advance(app.core.config.refreshGraceSeconds + 1);
    expect((await refresh(refresh_token)).body.code).toBe('refresh_token_reused');
    expect((await refresh(a.body.refresh_token)).status).toBe(401);
  });
});

describe.each(backends)('UUID refresh tokens (jwt-uuid-refresh) under concurrency on %s', (backend) => {
  it('gives 20 parallel refreshes of one UUID token one UUID successor', async () => {
    const app = await compatApp(backend, 'jwt-uuid-refresh');
    try {
      const base = await app.http.listen({ port: 0, host: '127.0.0.1' });
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, body: await res.json() };
      };
      expect((await post('/api/register/', { email: 'fork@example.com', password: strong })).status).toBe(201);
      const { refresh_token } = (await post('/api/login/', { email: 'fork@example.com', password: strong })).body;
      const answers = await Promise.all(Array.from({ length: 20 }, () => post('/api/refresh/', { refresh_token })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const successors = new Set(answers.map((a) => a.body.refresh_token));
      expect(successors.size).toBe(1);
      const [successor] = [...successors] as [string];
      expect(successor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await post('/api/refresh/', { refresh_token: successor })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the successor of a refresh token', () => {
  it('is fixed by the presented token, shaped like the format, and depends on the server secret', () => {
    const a = successorToken('secret-one', 'presented', 'opaque');
    expect(a).toBe(successorToken('secret-one', 'presented', 'opaque'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(successorToken('secret-two', 'presented', 'opaque')).not.toBe(a);
    expect(successorToken('secret-one', 'presenteD', 'opaque')).not.toBe(a);
    expect(successorToken('secret-one', 'presented', 'uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
