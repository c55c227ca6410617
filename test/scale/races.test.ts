import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, clientIp, Deployment, describeScale } from './support/deployment.js';
import { testPassword } from '../support/passwords.js';

/** Concurrent requests for one thing, spread over three instances: the database decides, once. */
describeScale('races across three instances', () => {
  let d: Deployment;
  let urls: string[];

  beforeAll(async () => {
    d = await Deployment.start({ instances: 3 });
    urls = d.instances.map((i) => i.url);
  });
  afterAll(async () => {
    await d?.close();
  });

  it('20 concurrent refreshes of one token: one session, never two live ones, every answer a clean 200 or 401', async () => {
    const reg = await call(urls[0]!, '/v1/auth/register', { body: { username: 'racer', email: 'racer@example.com', password: testPassword } });
    expect(reg.status).toBe(201);
    const sessionId = (await d.db.selectFrom('sessions').select('id').where('user_id', '=', reg.body.user.id).executeTakeFirstOrThrow()).id;

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(urls[i % 3]!, '/v1/auth/refresh', { body: { refresh_token: reg.body.refresh_token } })),
    );
    const statuses = results.map((r) => r.status);
    for (const s of statuses) expect([200, 401]).toContain(s);
    const won = results.filter((r) => r.status === 200);
    // Within the grace window every concurrent refresh succeeds, and all of them get the one successor.
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(new Set(won.map((r) => r.body.refresh_token)).size).toBe(1);

    const sessions = await d.db.selectFrom('sessions').select(['id', 'revoked_at']).where('user_id', '=', reg.body.user.id).execute();
    expect(sessions).toEqual([{ id: sessionId, revoked_at: null }]);
    const tokens = await d.db.selectFrom('refresh_tokens').select(['session_id', 'rotated_at']).where('session_id', '=', sessionId).execute();
    // A linear chain: the original (rotated once) and its one live successor, whatever the number of winners.
    expect(tokens.length).toBe(2);
    expect(tokens.filter((t) => t.rotated_at !== null).length).toBe(1);
    // And each new pair works on any instance.
    for (const [i, r] of won.entries()) expect((await call(urls[i % 3]!, '/v1/me', { token: r.body.access_token })).status).toBe(200);
  });

  it('20 concurrent sign-ups with one email, over three instances: exactly one account, and no 5xx', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(urls[i % 3]!, '/v1/auth/register', { body: { username: `twin${i}`, email: 'Twin@Example.com', password: testPassword }, ip: clientIp() }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    // The losers are told the address is taken (or, past the per-address budget, to slow down).
    for (const r of results.filter((x) => x.status !== 201)) {
      expect([400, 429], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 400) expect(r.body.errors.email).toBeDefined();
    }
    const accounts = await d.db.selectFrom('users').select('id').where('email_key', '=', 'twin@example.com').execute();
    expect(accounts).toHaveLength(1);
    // No half-made account: every user row has exactly the sessions and audit rows of a finished sign-up.
    const users = await d.db.selectFrom('users').select('username').where('username', 'like', 'twin%').execute();
    expect(users).toHaveLength(1);
  });
});
