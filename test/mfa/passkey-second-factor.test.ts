import { sql } from 'kysely';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { auditKinds } from '../recovery/support.js';
import { addPasskey, loginOptions, origin, passkeyEnv, SoftAuthenticator, testPassword } from './passkey-support.js';

const meta = { ip: '127.0.0.1', userAgent: 'test' };
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

interface Answer {
  status: number;
  type: string;
  json: any;
  setCookie: string[];
}

type Assertion = ReturnType<SoftAuthenticator['get']>;

/**
 * A passkey as the second factor of a native password login, over real HTTP on a real port:
 * 401 mfa_required → POST /v1/auth/mfa/passkey/options → the software authenticator's assertion → POST /v1/auth/mfa/passkey.
 */
describe.each(backends)('a passkey as second factor over the API on %s', (backend) => {
  let app: TestApp;
  let base: string;

  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  async function send(path: string, body: string, contentType = 'application/json'): Promise<Answer> {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', json, setCookie: res.headers.getSetCookie() };
  }
  const post = (path: string, payload: unknown) => send(path, JSON.stringify(payload));
  const options = (mfa_token: unknown) => post('/v1/auth/mfa/passkey/options', { mfa_token });
  const finish = (mfa_token: unknown, response: unknown) => post('/v1/auth/mfa/passkey', { mfa_token, response });

  /** An account whose only second factor is a passkey of its own software authenticator. */
  async function withPasskey(opts: Parameters<SoftAuthenticator['create']>[1] = {}) {
    const { user, access_token } = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    const { passkey, credential } = await addPasskey(app, access_token, auth, 'Key', opts);
    return { user, auth, passkey, credential, access_token };
  }

  /** The right password: 401 mfa_required; returns its mfa_token. */
  async function passwordStep(user: { email: string }): Promise<string> {
    const res = await post('/v1/auth/login', { login: user.email, password: testPassword });
    expect(res.status, JSON.stringify(res.json)).toBe(401);
    expect(res.json.type).toContain('mfa_required');
    return res.json.mfa_token as string;
  }

  async function optionsFor(mfaToken: string) {
    const res = await options(mfaToken);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json as { challenge: string; rpId: string; allowCredentials: { id: string; type: string; transports?: string[] }[]; userVerification: string };
  }

  const liveSessions = async (userId: number) =>
    Number((await app.core.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirstOrThrow()).n);
  const failedLogins = async (userId: number) => Number((await app.core.db.selectFrom('users').select('failed_logins').where('id', '=', userId).executeTakeFirstOrThrow()).failed_logins);
  const tokenAttempts = async (userId: number) => (await app.core.db.selectFrom('mfa_tokens').select('attempts').where('user_id', '=', userId).orderBy('created_at').execute()).map((r) => Number(r.attempts));
  const refusalReasons = async (userId: number) =>
    (await app.core.db.selectFrom('audit_events').select('detail').where('user_id', '=', userId).where('kind', '=', 'login.failed').orderBy('id').execute())
      .map((r) => (JSON.parse(r.detail) as { reason?: string }).reason);

  it('password → mfa_required with factor passkey → options for this account → assertion → a session whose amr carries the passkey', async () => {
    const { user, auth, credential } = await withPasskey();
    const other = await withPasskey();
    const before = await liveSessions(user.id);
    const login = await post('/v1/auth/login', { login: user.email, password: testPassword });
    expect(login.status).toBe(401);
    expect(login.type).toContain('application/problem+json');
    expect(login.json).toMatchObject({ factors: ['passkey'], expires_in: 300 });
    expect(login.json.access_token).toBeUndefined();

    const opts = await optionsFor(login.json.mfa_token);
    expect(opts).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
    // Only this account's passkey is offered, not the other account's.
    expect(opts.allowCredentials).toEqual([{ id: credential.id.toString('base64url'), type: 'public-key', transports: ['internal'] }]);
    expect(opts.allowCredentials.map((c) => c.id)).not.toContain(other.credential.id.toString('base64url'));

    const done = await finish(login.json.mfa_token, auth.get(opts));
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.user.id).toBe(user.id);
    expect(decodeJwt(done.json.access_token)).toMatchObject({ sub: String(user.id), amr: ['pwd', 'hwk', 'user', 'mfa'] });
    expect(done.json.refresh_token).toBeTruthy();
    // The device token of /v1/auth/mfa/verify: in the body and as the HttpOnly cookie of the login route.
    expect(done.json.device_token).toBeTruthy();
    expect(done.setCookie.find((c) => c.startsWith(`gh_device=${done.json.device_token}`))).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i);
    expect(done.setCookie.join()).toContain('Path=/v1/auth/login');
    expect(await liveSessions(user.id)).toBe(before + 1);
    const refreshed = await post('/v1/auth/refresh', { refresh_token: done.json.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.json.access_token).amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    expect(await auditKinds(app, user.id)).toEqual(expect.arrayContaining(['mfa.challenge_issued', 'passkey.used', 'mfa.verified', 'login.succeeded']));

    // Redeemed once: the token asks for no more options.
    const used = await options(login.json.mfa_token);
    expect(used.status).toBe(401);
    expect(used.json.type).toContain('mfa_token_invalid');
  });

  it('the amr follows the passkey: a synced key without user verification is swk', async () => {
    const { user, auth } = await withPasskey({ backedUp: true });
    const mfaToken = await passwordStep(user);
    const done = await finish(mfaToken, auth.get(await optionsFor(mfaToken), { userVerified: false, backedUp: true }));
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(decodeJwt(done.json.access_token).amr).toEqual(['pwd', 'swk', 'mfa']);
  });

  it('attack: an assertion of another account\'s passkey does not finish this login', async () => {
    const victim = await withPasskey();
    const attacker = await withPasskey();
    const before = await liveSessions(victim.user.id);
    // The attacker knows the victim's password and answers the victim's challenge with their own passkey.
    const mfaToken = await passwordStep(victim.user);
    const refused = await finish(mfaToken, attacker.auth.get(await optionsFor(mfaToken)));
    expect(refused.status).toBe(401);
    expect(refused.json.type).toContain('invalid_mfa_code');
    expect(refused.json.access_token).toBeUndefined();
    expect(await liveSessions(victim.user.id)).toBe(before);
    // A wrong factor: one of the token's attempts, one toward the lock, audited with why.
    expect(await tokenAttempts(victim.user.id)).toEqual([1]);
    expect(await failedLogins(victim.user.id)).toBe(1);
    expect(await refusalReasons(victim.user.id)).toContain('passkey_wrong_account');
    expect(await auditKinds(app, victim.user.id)).toContain('mfa.verify_failed');
    // The victim's own passkey still finishes the same login.
    const own = await finish(mfaToken, victim.auth.get(await optionsFor(mfaToken)));
    expect(own.status).toBe(200);
  });

  it('attack: a challenge issued for one mfa_token does not finish another', async () => {
    const { user, auth } = await withPasskey();
    const before = await liveSessions(user.id);
    const first = await passwordStep(user);
    const second = await passwordStep(user);
    const signed = auth.get(await optionsFor(first));
    const refused = await finish(second, signed);
    expect(refused.status).toBe(401);
    expect(refused.json.type).toContain('invalid_mfa_code');
    expect(await liveSessions(user.id)).toBe(before);
    expect(await tokenAttempts(user.id)).toEqual([0, 1]);
    expect(await refusalReasons(user.id)).toContain('passkey_challenge');
  });

  it('attack: a passwordless-login challenge cannot be used as a second factor', async () => {
    const { user, auth } = await withPasskey();
    const before = await liveSessions(user.id);
    const mfaToken = await passwordStep(user);
    const refused = await finish(mfaToken, auth.get(await loginOptions(app)));
    expect(refused.status).toBe(401);
    expect(refused.json.type).toContain('invalid_mfa_code');
    expect(await liveSessions(user.id)).toBe(before);
    // Nor is a second-factor challenge a passwordless sign-in.
    const passwordless = await post('/v1/auth/passkey', { response: auth.get(await optionsFor(mfaToken)) });
    expect(passwordless.status).toBe(401);
    expect(await liveSessions(user.id)).toBe(before);
  });

  it('attack: replaying a used assertion', async () => {
    const { user, auth } = await withPasskey();
    const first = await passwordStep(user);
    const signed = auth.get(await optionsFor(first));
    expect((await finish(first, signed)).status).toBe(200);
    const after = await liveSessions(user.id);
    // The same assertion again: on its own token (used), on a fresh login, as a passwordless sign-in.
    const again = await finish(first, signed);
    expect(again.status).toBe(401);
    expect(again.json.type).toContain('mfa_token_invalid');
    const second = await passwordStep(user);
    const replayed = await finish(second, signed);
    expect(replayed.status).toBe(401);
    expect(replayed.json.type).toContain('invalid_mfa_code');
    expect((await post('/v1/auth/passkey', { response: signed })).status).toBe(401);
    expect(await liveSessions(user.id)).toBe(after);
  });

  it('attack: 20 parallel finishes with one mfa_token open one session', async () => {
    const { user, auth } = await withPasskey();
    const before = await liveSessions(user.id);
    const mfaToken = await passwordStep(user);
    // Twenty valid assertions, each over its own challenge bound to this token.
    const signed: Assertion[] = [];
    for (let i = 0; i < 20; i++) signed.push(auth.get(await optionsFor(mfaToken)));
    const results = await Promise.all(signed.map((response) => finish(mfaToken, response)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => r.status === 200 || r.status === 401), results.map((r) => r.status).join()).toBe(true);
    expect(await liveSessions(user.id)).toBe(before + 1);
  });

  it('wrong assertions burn the token after mfa_token_max_attempts; an expired token is refused', async () => {
    const { user, auth } = await withPasskey();
    const mfaToken = await passwordStep(user);
    const right = auth.get(await optionsFor(mfaToken));
    for (let i = 0; i < 5; i++) {
      const bad = auth.get(await optionsFor(mfaToken));
      const res = await finish(mfaToken, { ...bad, response: { ...bad.response, signature: auth.get({ challenge: 'AAAA' }).response.signature } });
      expect(res.status).toBe(401);
      expect(res.json.type).toContain('invalid_mfa_code');
    }
    expect(await tokenAttempts(user.id)).toEqual([5]);
    expect(await failedLogins(user.id)).toBe(5);
    expect(await refusalReasons(user.id)).toContain('passkey_bad_assertion');
    // Burnt: no more options, and a right assertion over a challenge it got before no longer finishes it.
    for (const res of [await options(mfaToken), await finish(mfaToken, right)]) {
      expect(res.status).toBe(401);
      expect(res.json.type).toContain('mfa_token_invalid');
    }

    const late = await passwordStep(user);
    const signed = auth.get(await optionsFor(late));
    app.clock.advance(301);
    for (const res of [await options(late), await finish(late, signed)]) {
      expect(res.status).toBe(401);
      expect(res.json.type).toContain('mfa_token_invalid');
    }
  });

  it('no passkey to offer: an account without one, or whose passkey went since the password step, gets the unknown token\'s answer', async () => {
    const unknown = await options('an-unknown-token');
    expect(unknown.status).toBe(401);
    const same = (res: Answer) => {
      expect(res.status).toBe(401);
      expect({ type: res.json.type, title: res.json.title, detail: res.json.detail }).toEqual({ type: unknown.json.type, title: unknown.json.title, detail: unknown.json.detail });
    };
    // An authenticator-app account: its token offers no passkey.
    const { user } = await app.signUp();
    const { secret } = await startTotpEnrolment(app.core, user.id, { current_password: testPassword }, meta);
    await confirmTotpEnrolment(app.core, user.id, { code: codeAt(secret, app.clock.now()) }, meta);
    const totpToken = await passwordStep(user);
    same(await options(totpToken));
    const stray = await withPasskey();
    same(await finish(totpToken, stray.auth.get(await optionsFor(await passwordStep(stray.user)))));

    // A passkey removed between the password and the second step.
    const gone = await withPasskey();
    const mfaToken = await passwordStep(gone.user);
    // Removing a factor is a step-up: a passwordless sign-in with the passkey is the fresh second factor.
    const fresh = await app.request({ method: 'POST', url: '/v1/auth/passkey', payload: { response: gone.auth.get(await loginOptions(app)) } });
    expect(fresh.statusCode).toBe(200);
    const del = await fetch(`${base}/v1/me/passkeys/${gone.passkey.id}`, { method: 'DELETE', headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.json().access_token}` }, body: JSON.stringify({ current_password: testPassword }) });
    expect(del.status).toBe(204);
    same(await options(mfaToken));
  });

  describe('bad input', () => {
    let signed: Assertion;
    let live: { user: any; mfaToken: string };

    beforeAll(async () => {
      const { user, auth } = await withPasskey();
      const mfaToken = await passwordStep(user);
      // Shaped right, over a challenge of this token that a test never spends.
      signed = auth.get(await optionsFor(mfaToken));
      live = { user, mfaToken };
    });

    async function rowCounts(): Promise<string> {
      const { rows } = await sql<Record<string, unknown>>`select
        (select count(*) from webauthn_challenges) as challenges, (select count(*) from sessions) as sessions,
        (select count(*) from audit_events) as audit, (select sum(attempts) from mfa_tokens) as attempts,
        (select count(*) from mfa_tokens where used_at is not null) as used, (select sum(failed_logins) from users) as failed`.execute(app.core.db);
      return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : v));
    }

    /** A 4xx problem+json of `status`, and nothing written. */
    async function refusedClean(res: Promise<Answer>, status: number, label: string, before: string) {
      const answer = await res;
      expect(answer.status, `${label}: ${JSON.stringify(answer.json)}`).toBe(status);
      expect(answer.type, label).toContain('application/problem+json');
      expect(await rowCounts(), `${label} left something half-written`).toBe(before);
      return answer;
    }

    const routes = () => [
      { path: '/v1/auth/mfa/passkey/options', body: (): Record<string, unknown> => ({ mfa_token: live.mfaToken }) },
      { path: '/v1/auth/mfa/passkey', body: (): Record<string, unknown> => ({ mfa_token: live.mfaToken, response: structuredClone(signed) }) },
    ];

    it('malformed JSON, non-object bodies, wrong content types and oversized bodies', async () => {
      const before = await rowCounts();
      for (const { path } of routes()) {
        for (const text of ['{"mfa_token":', "{'mfa_token': 1}", '[1, 2', '{"a": 1}}', 'nul', '\u0000', 'null', '[]', '"text"', '42']) {
          await refusedClean(send(path, text), 400, `${path} ${JSON.stringify(text)}`, before);
        }
        for (const type of ['text/plain', 'application/xml', 'application/octet-stream']) await refusedClean(send(path, '<a/>', type), 415, `${path} ${type}`, before);
        await refusedClean(send(path, JSON.stringify({ mfa_token: 'x'.repeat(1_100_000) })), 413, `${path} 1 MB`, before);
      }
      // A form carries only strings: the nested response cannot be one.
      await refusedClean(send('/v1/auth/mfa/passkey', new URLSearchParams({ mfa_token: live.mfaToken, response: 'x' }).toString(), 'application/x-www-form-urlencoded'), 400, 'form', before);
    });

    it('wrong types, at the top and inside the assertion; missing fields name them', async () => {
      const before = await rowCounts();
      for (const { path, body } of routes()) {
        for (const field of Object.keys(body())) {
          for (const value of [123, 1.5, true, null, [], ['a'], {}, { $ne: '' }]) {
            await refusedClean(post(path, { ...body(), [field]: value }), 400, `${path} ${field}=${JSON.stringify(value)}`, before);
          }
          const missing = body();
          delete missing[field];
          const res = await refusedClean(post(path, missing), 400, `${path} without ${field}`, before);
          expect(Object.keys(res.json.errors ?? {}).length, `${path} without ${field}`).toBeGreaterThan(0);
        }
        const empty = await refusedClean(post(path, {}), 400, `${path} {}`, before);
        expect(Object.keys(empty.json.errors ?? {}).length).toBeGreaterThan(0);
        await refusedClean(post(path, { ...body(), mfa_token: 'x'.repeat(129) }), 400, `${path} long token`, before);
      }
      for (const field of ['response.clientDataJSON', 'response.authenticatorData', 'response.signature', 'id', 'rawId', 'type', 'clientExtensionResults']) {
        for (const value of [123, null, [], 'not base64url!']) {
          const response = structuredClone(signed) as unknown as Record<string, Record<string, unknown>>;
          if (field.startsWith('response.')) response.response![field.slice(9)] = value;
          else response[field] = value as never;
          await refusedClean(finish(live.mfaToken, response), 400, `response ${field}=${JSON.stringify(value)}`, before);
        }
      }
      // clientDataJSON that is not JSON or names no challenge: a 400 on `response`, no attempt spent.
      for (const clientData of [Buffer.from('not json').toString('base64url'), Buffer.from('{"type":"webauthn.get"}').toString('base64url')]) {
        const res = await refusedClean(finish(live.mfaToken, { ...signed, response: { ...signed.response, clientDataJSON: clientData } }), 400, 'clientDataJSON', before);
        expect(res.json.errors.response).toBeDefined();
      }
    });

    it('extra fields are dropped; unknown, odd and expired tokens are mfa_token_invalid', async () => {
      const before = await rowCounts();
      // Extra fields are ignored (as everywhere in the native API): an unknown token still fails for being unknown.
      for (const { path, body } of routes()) {
        for (const token of ['', 'nope', 'nope\u202e', 'a'.repeat(128), '../../etc/passwd', '\' or 1=1 --']) {
          const res = await refusedClean(post(path, { ...body(), mfa_token: token, user_id: live.user.id, is_superuser: true }), 401, `${path} token ${JSON.stringify(token)}`, before);
          expect(res.json.type).toContain('mfa_token_invalid');
        }
      }
      app.clock.advance(301);
      for (const { path, body } of routes()) {
        const res = await refusedClean(post(path, body()), 401, `${path} expired`, before);
        expect(res.json.type).toContain('mfa_token_invalid');
      }
    });
  });
});
