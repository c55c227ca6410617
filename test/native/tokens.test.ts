import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT, exportJWK, importJWK, jwtVerify, createLocalJWKSet, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { loadConfig } from '../../src/config.js';
import { hs256Secret } from '../../src/core/secrets.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { claims } from './support.js';
import { testPassword } from '../support/passwords.js';

const me = (app: TestApp, token: string) => app.request({ method: 'GET', url: '/v1/me', token });

/** A JWT assembled by hand: any header, any payload, any signature bytes. */
function rawJwt(header: object, payload: object, sign: (input: string) => string = () => ''): string {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

describe.each(backends)('access tokens (EdDSA) on %s', (backend) => {
  let app: TestApp;
  let other: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    other = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
    await other?.close();
  });

  it('carries sub, sid, jti, iat, exp, token_type and user_id, signed with a kid published in the JWKS', async () => {
    const { access_token, user } = await app.signUp();
    const { header, payload } = claims(access_token);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: String(user.id), user_id: user.id, token_type: 'access' });
    expect(typeof payload.sid).toBe('string');
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.exp! - payload.iat!).toBe(300);
    const jwks = await app.request({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.statusCode).toBe(200);
    expect(jwks.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(jwks.json().keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    // Any JOSE client verifies it from the published set alone.
    const verified = await jwtVerify(access_token, createLocalJWKSet(jwks.json()), { currentDate: new Date(app.clock.now()) });
    expect(verified.payload.sub).toBe(String(user.id));
  });

  it('uses the default lifetimes: access 5 minutes, refresh 30 days', async () => {
    const { refresh_token } = await app.signUp();
    expect(app.core.settings.get('access_token_ttl')).toBe(300);
    const row = await app.core.db.selectFrom('refresh_tokens').select(['created_at', 'expires_at']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(row.expires_at - row.created_at).toBe(30 * 86400 * 1000);
    expect(refresh_token).not.toContain('.');
  });

  it('enforces exp, also for a token already verified once (cached)', async () => {
    const { access_token } = await app.signUp();
    expect((await me(app, access_token)).statusCode).toBe(200);
    app.clock.advance(299);
    expect((await me(app, access_token)).statusCode).toBe(200);
    app.clock.advance(2);
    const expired = await me(app, access_token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('token_expired');
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_token"');
  });

  it('enforces nbf', async () => {
    const { user, access_token } = await app.signUp();
    const key = app.core.keys.signingKey();
    const sid = claims(access_token).payload.sid as string;
    const now = Math.floor(app.clock.now() / 1000);
    const early = await new SignJWT({ token_type: 'access', user_id: user.id, sid, iss: app.core.config.jwtIssuer })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject(String(user.id)).setIssuedAt(now).setNotBefore(now + 120).setExpirationTime(now + 300).sign(key.signing);
    expect((await me(app, early)).statusCode).toBe(401);
    app.clock.advance(121);
    expect((await me(app, early)).statusCode, 'valid once nbf has passed').toBe(200);
  });

  it('rejects a refresh token, and JWTs of other token types signed with our own key, as Bearer', async () => {
    const { user, refresh_token, access_token } = await app.signUp();
    const refreshAsBearer = await me(app, refresh_token);
    expect(refreshAsBearer.statusCode).toBe(401);
    expect(refreshAsBearer.json().code).toBe('invalid_token');
    const key = app.core.keys.signingKey();
    const sid = claims(access_token).payload.sid as string;
    const now = Math.floor(app.clock.now() / 1000);
    for (const tokenType of ['refresh', 'password_reset', 'email_verification', undefined]) {
      const token = await new SignJWT({ ...(tokenType ? { token_type: tokenType } : {}), user_id: user.id, sid })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject(String(user.id)).setIssuedAt(now).setExpirationTime(now + 300).sign(key.signing);
      expect((await me(app, token)).statusCode, String(tokenType)).toBe(401);
    }
  });

  it('rejects a real password-reset token and email-verification token as Bearer', async () => {
    const { user } = await app.signUp();
    await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email: user.email } });
    await app.request({ method: 'POST', url: '/v1/auth/verify-email/resend', payload: { email: user.email } });
    const mails = await app.core.db.selectFrom('outbox').select(['kind', 'text_body']).where('to_addr', '=', user.email).execute();
    const tokens = mails.map((m) => /token=([A-Za-z0-9_%.-]+)/.exec(m.text_body)?.[1]).filter((t): t is string => !!t).map(decodeURIComponent);
    expect(tokens.length, JSON.stringify(mails.map((m) => m.kind))).toBe(2);
    for (const token of tokens) {
      const res = await me(app, token);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('invalid_token');
    }
  });

  it('rejects alg none, HS256 signed with the public key, and attacker keys in jwk/jku headers', async () => {
    const { access_token } = await app.signUp();
    const { header, payload } = claims(access_token);
    const publicJwk = app.core.keys.jwks().keys.find((k) => k.kid === header.kid)!;
    const forged: string[] = [];
    forged.push(rawJwt({ alg: 'none', typ: 'JWT', kid: header.kid }, payload));
    forged.push(rawJwt({ alg: 'none', typ: 'JWT' }, payload));
    // Algorithm confusion: HMAC keyed with each public representation of our key.
    const publicForms = [JSON.stringify(publicJwk), publicJwk.x!, Buffer.from(publicJwk.x!, 'base64url').toString('latin1')];
    for (const secret of publicForms) {
      forged.push(rawJwt({ alg: 'HS256', typ: 'JWT', kid: header.kid }, payload, (input) => createHmac('sha256', Buffer.from(secret, 'latin1')).update(input).digest('base64url')));
    }
    // An attacker's own key, offered in the header.
    const attacker = generateKeyPairSync('ed25519');
    const attackerJwk = await exportJWK(attacker.publicKey);
    const signing = await importJWK(await exportJWK(attacker.privateKey), 'EdDSA');
    forged.push(await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: header.kid, jwk: attackerJwk }).sign(signing));
    forged.push(await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', jwk: attackerJwk }).sign(signing));
    forged.push(await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: header.kid, jku: 'https://attacker.example/jwks.json' }).sign(signing));
    forged.push(await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: 'attacker-kid' }).sign(signing));
    for (const token of forged) {
      const res = await me(app, token);
      expect(res.statusCode, claims(token).header.alg as string).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await me(app, access_token)).statusCode, 'the genuine token still works').toBe(200);
  });

  it('rejects a tampered payload or signature', async () => {
    const { access_token, user } = await app.signUp();
    const victim = await app.signUp();
    const [h, p, s] = access_token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const swapped = { ...payload, sub: String(victim.user.id), user_id: victim.user.id };
    const tampered = [
      `${h}.${base64url.encode(JSON.stringify(swapped))}.${s}`,
      `${h}.${base64url.encode(JSON.stringify({ ...payload, exp: payload.exp + 86400 }))}.${s}`,
      `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BA' : 'AA'}`,
      `${h}.${p}.`,
      `${h}.${p}`,
      `${h}..${s}`,
      'not-a-jwt',
      `${h}.${p}.${s}.extra`,
    ];
    for (const token of tampered) expect((await me(app, token)).statusCode, token.slice(-20)).toBe(401);
    expect((await me(app, access_token)).json().id).toBe(user.id);
  });

  it('rejects a token signed by another instance (a different database and secret)', async () => {
    const foreign = await other.signUp();
    const res = await me(app, foreign.access_token);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_token');
  });

  it('keeps a rotated-out key published and verifying until its tokens expire; new tokens use the new kid', async () => {
    const before = await app.signUp();
    const oldKid = claims(before.access_token).header.kid as string;
    const newKid = await app.core.keys.rotate(app.core.settings.get('access_token_ttl'));
    expect(newKid).not.toBe(oldKid);
    const after = await app.signUp();
    expect(claims(after.access_token).header.kid).toBe(newKid);
    // Access-token keys only (the JWKS also holds the OpenID provider's RS256 ID-token key, docs/oidc.md).
    const kids = () => app.request({ method: 'GET', url: '/.well-known/jwks.json' }).then((r) => r.json().keys.filter((k: { alg: string }) => k.alg === 'EdDSA').map((k: { kid: string }) => k.kid));
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect((await me(app, before.access_token)).statusCode, 'old token still verifies').toBe(200);
    expect((await me(app, after.access_token)).statusCode).toBe(200);
    app.clock.advance(300 + 61);
    expect(await kids(), 'old key unpublished once its tokens are dead').toEqual([newKid]);
  });
});

describe.each(backends)('key rotation across instances on %s', (backend) => {
  it('another instance verifies the new key at once and signs with it within a minute', async () => {
    const a = await testApp(backend);
    const b = await createApp(a.config, { clock: a.clock, store: a.store, cache: new MemoryCache(), mailWorker: false, log: a.core.log, migrate: false });
    try {
      const oldKid = a.core.keys.signingKey().kid;
      a.clock.advance(5);
      const newKid = await a.core.keys.rotate(300);
      const fresh = await a.signUp();
      expect(claims(fresh.access_token).header.kid).toBe(newKid);
      const onB = (token: string) => b.http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect((await onB(fresh.access_token)).statusCode, 'an unknown kid makes B reload its keys').toBe(200);
      expect(b.core.keys.signingKey().kid, 'and from then on signs with the new key too').toBe(newKid);
      const again = await a.request({ method: 'POST', url: '/v1/auth/login', payload: { login: fresh.user.username, password: testPassword } });
      expect((await onB(again.json().access_token)).statusCode).toBe(200);
      // An instance that never meets the new kid picks it up on its periodic reload (every 60 s).
      const c = await createApp(a.config, { clock: a.clock, store: a.store, cache: new MemoryCache(), mailWorker: false, log: a.core.log, migrate: false });
      try {
        await a.core.keys.rotate(300);
        const newest = a.core.keys.signingKey().kid;
        expect(c.core.keys.signingKey().kid).not.toBe(newest);
        a.clock.advance(61);
        c.core.keys.signingKey();
        await vi.waitFor(() => expect(c.core.keys.signingKey().kid).toBe(newest));
        expect(oldKid).not.toBe(newest);
      } finally {
        await c.close();
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe.each(backends)('access tokens (HS256) on %s', (backend) => {
  const secret = 'a-shared-secret-of-at-least-32-characters!';
  const master = 'the-master-secret-that-seals-private-keys!';
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_JWT_ALG: 'HS256', GATEHOUSE_SECRET_KEY: master, GATEHOUSE_JWT_SECRET: secret });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('signs with the shared secret so a SimpleJWT service verifies it; the JWKS is empty', async () => {
    const { access_token, user } = await app.signUp();
    const { payload, protectedHeader } = await jwtVerify(access_token, new TextEncoder().encode(secret), { algorithms: ['HS256'], currentDate: new Date(app.clock.now()) });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ user_id: user.id, token_type: 'access', sub: String(user.id) });
    // No access-token key is published; only the OpenID provider's RS256 ID-token key (docs/oidc.md).
    expect((await app.request({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { alg: string }) => k.alg)).toEqual(['RS256']);
    expect((await me(app, access_token)).statusCode).toBe(200);
  });

  it('attack: HS256 tokens are signed with the master secret that also seals the private keys', async () => {
    const derived = await testApp(backend, { GATEHOUSE_JWT_ALG: 'HS256', GATEHOUSE_SECRET_KEY: master });
    try {
      const { access_token } = await derived.signUp();
      const at = { algorithms: ['HS256'], currentDate: new Date(derived.clock.now()) };
      // A service holding the HS256 secret must not hold the key that unseals everything else.
      await expect(jwtVerify(access_token, new TextEncoder().encode(master), at)).rejects.toThrow();
      // What `gatehouse keys hs256-secret` prints verifies it.
      await jwtVerify(access_token, new TextEncoder().encode(hs256Secret(undefined, master)), at);
    } finally {
      await derived.close();
    }
  });

  it('refuses a GATEHOUSE_JWT_SECRET that is short or equal to the master secret', () => {
    expect(() => loadConfig({ GATEHOUSE_JWT_SECRET: 'short' })).toThrow(/GATEHOUSE_JWT_SECRET: must be at least 32/);
    expect(() => loadConfig({ GATEHOUSE_SECRET_KEY: master, GATEHOUSE_JWT_SECRET: master })).toThrow(/must differ from GATEHOUSE_SECRET_KEY/);
  });

  it('rejects HS256 tokens signed with another secret, and EdDSA tokens', async () => {
    const { access_token } = await app.signUp();
    const { header, payload } = claims(access_token);
    const otherSecret = await new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
    expect((await me(app, otherSecret)).statusCode).toBe(401);
    const ed = generateKeyPairSync('ed25519');
    const edToken = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: header.kid }).sign(await importJWK(await exportJWK(ed.privateKey), 'EdDSA'));
    expect((await me(app, edToken)).statusCode).toBe(401);
    expect((await me(app, rawJwt({ alg: 'none' }, payload))).statusCode).toBe(401);
  });
});
