import { createServer, type Server } from 'node:http';
import { generateKeyPair, SignJWT, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { eventually, serviceKey } from '../revocation-feed/support.js';
import { createVerifier, VerifyError, type FetchLike, type Verifier, type VerifierOptions } from '../../packages/verify/src/index.js';

/** What verify() threw: its code. */
async function refusal(v: Verifier, token: string): Promise<string> {
  try {
    await v.verify(token);
  } catch (err) {
    if (err instanceof VerifyError) return err.code;
    throw err;
  }
  return 'accepted';
}

/** The global fetch, counting JWKS requests. */
function countingFetch(): { fetch: FetchLike; jwks: () => number } {
  let jwks = 0;
  return {
    fetch: (url, init) => {
      if (url.endsWith('/jwks.json')) jwks++;
      return fetch(url, init);
    },
    jwks: () => jwks,
  };
}

/** A token with the right claims, signed by a key Gatehouse never published. */
async function foreignToken(issuer: string, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: 'x', token_type: 'access', user_id: 1, auth_time: now }).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuer(issuer).setSubject('1').setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);
}

describe.each(backends)('@gatehouse/verify against a real Gatehouse on %s', (backend) => {
  let app: TestApp;
  let base = '';
  let key = '';
  const verifiers: Verifier[] = [];
  const make = async (extra: Partial<VerifierOptions> = {}) => {
    const v = createVerifier({ issuer: app.config.jwtIssuer, serviceKey: key, jwksUrl: `${base}/.well-known/jwks.json`, feedUrl: `${base}/v1/revocations`, ...extra });
    verifiers.push(v);
    await v.ready();
    return v;
  };

  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_AUDIENCE: 'billing' });
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    key = (await serviceKey(app)).key;
  });
  afterAll(async () => {
    for (const v of verifiers) await v.close();
    app?.http.server.closeAllConnections();
    await app?.close();
  });

  it('returns the typed claims of a valid token', async () => {
    const v = await make({ audience: 'billing' });
    const { access_token: token, user } = await app.signUp();
    const claims = await v.verify(token);
    expect(claims).toMatchObject({ sub: String(user.id), user_id: user.id, iss: app.config.jwtIssuer, aud: 'billing' });
    expect(typeof claims.sid).toBe('string');
    expect(claims.exp).toBeGreaterThan(claims.iat);
    expect(claims.auth_time).toBeLessThanOrEqual(claims.iat);
    expect(claims.profile).not.toHaveProperty('sub');
    // The second call is the cached path: the same claims.
    expect(await v.verify(token)).toEqual(claims);
  });

  it('refuses expired, garbled, tampered, wrong-issuer and wrong-audience tokens with their codes', async () => {
    const v = await make({ audience: 'billing' });
    const { access_token: token } = await app.signUp();
    app.clock.advance(-3600);
    const old = (await app.signUp()).access_token;
    app.clock.advance(3600);
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: '1', user_id: 1 })).toString('base64url')}.${s}`;
    const flipped = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    expect(await refusal(v, old)).toBe('expired');
    for (const garbled of ['', 'abc', 'a.b.c', `${token}x.y`, 'x'.repeat(9000), '\u202e.\u0000.\uffff']) expect(await refusal(v, garbled)).toBe('malformed');
    expect(await refusal(v, forged)).toBe('bad_signature');
    expect(await refusal(v, flipped)).toBe('bad_signature');
    expect(['malformed', 'bad_signature']).toContain(await refusal(v, none));
    expect(await refusal(await make({ issuer: 'http://elsewhere.test' }), token)).toBe('wrong_issuer');
    expect(await refusal(await make({ audience: 'orders' }), token)).toBe('wrong_audience');
    expect(await refusal(v, token)).toBe('accepted');
  });

  it('refuses a token of a logged-out session as revoked', async () => {
    const v = await make();
    const { access_token: token } = await app.signUp();
    expect(await refusal(v, token)).toBe('accepted');
    await app.request({ method: 'POST', url: '/v1/auth/logout', token });
    await eventually('the revocation', async () => (await refusal(v, token)) === 'revoked');
    expect(v.status()).toMatchObject({ feedLive: true, failingClosed: false });
  });

  it('attack: tokens with unknown kids cause one JWKS refetch per interval, not one per token', async () => {
    const counter = countingFetch();
    // The interval counts from the last fetch of any kind: past the first load's, one refetch is allowed.
    const v = await make({ fetch: counter.fetch, jwksRefetchMinMs: 400 });
    await new Promise((r) => setTimeout(r, 450));
    const before = counter.jwks();
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => foreignToken(app.config.jwtIssuer, `made-up-${i}`)));
    const codes = await Promise.all(forged.map((t) => refusal(v, t)));
    expect(new Set(codes)).toEqual(new Set(['bad_signature']));
    expect(counter.jwks() - before).toBe(1);
    for (const t of forged) expect(await refusal(v, t)).toBe('bad_signature');
    expect(counter.jwks() - before).toBe(1);
  });

  it('a key rotated in after start is fetched on its first token', async () => {
    const counter = countingFetch();
    const v = await make({ fetch: counter.fetch, jwksRefetchMinMs: 0 });
    const before = counter.jwks();
    await app.core.keys.rotate(86_400);
    const { access_token: token } = await app.signUp();
    expect(await refusal(v, token)).toBe('accepted');
    expect(counter.jwks() - before).toBe(1);
  });

  it('ready() fails with feed_unavailable for a service key the feed refuses', async () => {
    const errors: Error[] = [];
    const v = createVerifier({ issuer: app.config.jwtIssuer, serviceKey: 'gsk_not-a-real-key', jwksUrl: `${base}/.well-known/jwks.json`, feedUrl: `${base}/v1/revocations`, onError: (e) => errors.push(e) });
    verifiers.push(v);
    await expect(v.ready(500)).rejects.toMatchObject({ code: 'feed_unavailable' });
    expect(errors.some((e) => e.message.includes('401'))).toBe(true);
    expect(await refusal(v, (await app.signUp()).access_token)).toBe('feed_unavailable');
  });
});

describe('@gatehouse/verify with a shared HS256 secret (SQLite)', () => {
  let app: TestApp;
  let base = '';
  const secret = 'a shared hs256 secret of more than 32 characters';
  const verifiers: Verifier[] = [];

  beforeAll(async () => {
    app = await testApp('sqlite', { GATEHOUSE_JWT_ALG: 'HS256', GATEHOUSE_JWT_SECRET: secret });
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const v of verifiers) await v.close();
    app?.http.server.closeAllConnections();
    await app?.close();
  });

  it('verifies HS256 tokens with the secret, and refuses them without it or with another', async () => {
    const { key } = await serviceKey(app);
    const opts = { issuer: app.config.jwtIssuer, serviceKey: key, feedUrl: `${base}/v1/revocations` };
    const good = createVerifier({ ...opts, secret });
    const wrong = createVerifier({ ...opts, secret: 'another secret of more than 32 characters!!' });
    const none = createVerifier({ ...opts, jwksUrl: `${base}/.well-known/jwks.json` });
    verifiers.push(good, wrong, none);
    await Promise.all(verifiers.map((v) => v.ready()));
    const { access_token: token } = await app.signUp();
    expect(await refusal(good, token)).toBe('accepted');
    expect(await refusal(wrong, token)).toBe('bad_signature');
    expect(await refusal(none, token)).toBe('bad_signature');
  });
});

describe('@gatehouse/verify and the JWKS cache headers', () => {
  let server: Server;
  let url = '';
  const seen: { inm?: string }[] = [];

  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('EdDSA');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' }] });
    server = createServer((req, res) => {
      seen.push({ inm: req.headers['if-none-match'] });
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=0' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"', 'cache-control': 'max-age=0' });
      res.end(jwks);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('revalidates with If-None-Match and keeps its keys on a 304', async () => {
    const v = createVerifier({ issuer: 'http://x.test', serviceKey: 'gsk_unused', jwksUrl: url, feedUrl: 'http://127.0.0.1:1/v1/revocations', jwksRefetchMinMs: 0, reconnectMinMs: 60_000 });
    try {
      await eventually('the first load', () => v.status().keys === 1);
      expect(seen[0]).toEqual({ inm: undefined });
      // An unknown kid asks again: conditionally, and the 304 keeps the key.
      expect(await refusal(v, await foreignToken('http://x.test', 'k2'))).toBe('bad_signature');
      expect(seen.at(-1)).toEqual({ inm: '"v1"' });
      expect(v.status().keys).toBe(1);
    } finally {
      await v.close();
    }
  });
});
