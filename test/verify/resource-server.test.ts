import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { eventually, serviceKey } from '../revocation-feed/support.js';
import { distribution, ResourceServer } from './support.js';

const failClosedMs = 1500;

/** A resource server in its own process, using @gatehouse/verify, against a real Gatehouse on a real port. */
describe.each(backends)('a resource server process with @gatehouse/verify on %s', (backend) => {
  let app: TestApp;
  let base = '';
  let stopped = false;
  const rs = new ResourceServer();

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    const { key } = await serviceKey(app);
    await rs.start({ ISSUER: app.config.jwtIssuer, SERVICE_KEY: key, JWKS_URL: `${base}/.well-known/jwks.json`, FEED_URL: `${base}/v1/revocations`, FAIL_CLOSED_MS: String(failClosedMs) });
  }, 60_000);
  afterAll(async () => {
    await rs.stop();
    if (!stopped) {
      app?.http.server.closeAllConnections();
      await app?.close();
    }
  });

  it('refuses a logged-out session\'s token within 1 s of the logout (20 logouts)', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { access_token: token } = await app.signUp();
      expect(await rs.call(token)).toMatchObject({ status: 200 });
      const started = performance.now();
      const out = await fetch(`${base}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(out.status).toBe(204);
      let refused: { status: number; code?: string } | undefined;
      await eventually('the resource server to refuse the token', async () => {
        const r = await rs.call(token);
        if (r.status !== 200) refused = r;
        return r.status !== 200;
      });
      latencies.push(performance.now() - started);
      expect(refused).toEqual({ status: 401, code: 'revoked', sid: undefined });
    }
    const d = distribution(latencies);
    console.log(`[verify ${backend}] logout → refused by the resource server, 20 logouts: p50 ${d.p50.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`);
    expect(d.max).toBeLessThanOrEqual(1000);
  }, 60_000);

  it('the Express-style middleware gives the same answers', async () => {
    const { access_token: token } = await app.signUp();
    expect(await rs.call(token, rs.express)).toMatchObject({ status: 200 });
    expect(await rs.call('not-a-token', rs.express)).toMatchObject({ status: 401, code: 'malformed' });
    const res = await fetch(`${rs.express}/whoami`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    await fetch(`${base}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await eventually('the Express route to refuse the token', async () => (await rs.call(token, rs.express)).code === 'revoked');
  });

  it('with Gatehouse stopped, keeps verifying with the cached keys until the fail-closed delay, then refuses', async () => {
    const seen = (await app.signUp()).access_token;
    const unseen = (await app.signUp()).access_token;
    expect(await rs.call(seen)).toMatchObject({ status: 200 });
    const stoppedAt = Date.now();
    app.http.server.closeAllConnections();
    await app.close();
    stopped = true;
    await eventually('the resource server to see the feed go', async () => !(await rs.status()).feedLive);
    // A token it has verified before, and one it has not: both on the keys it holds.
    expect(await rs.call(seen)).toMatchObject({ status: 200 });
    expect(await rs.call(unseen)).toMatchObject({ status: 200 });
    let refusedAt = 0;
    let refusal: { status: number; code?: string } | undefined;
    await eventually('the fail-closed refusal', async () => {
      const r = await rs.call(seen);
      if (r.status === 200) return false;
      refusedAt = Date.now();
      refusal = r;
      return true;
    }, 15_000);
    expect(refusal).toMatchObject({ status: 503, code: 'feed_unavailable' });
    expect(refusedAt - stoppedAt).toBeGreaterThanOrEqual(failClosedMs);
    expect(await rs.status()).toMatchObject({ feedLive: false, failingClosed: true });
  }, 30_000);
});
