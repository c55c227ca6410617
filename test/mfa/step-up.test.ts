import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { auditKinds, expectProblem } from '../recovery/support.js';
import { addPasskey, loginOptions, origin, passkeyEnv, SoftAuthenticator } from './passkey-support.js';
import { codeAt, enrolTotp, wire, type Wire } from './totp-support.js';

/** The step-up window's default (`mfa_step_up_window`, seconds). */
const windowSeconds = 600;
const newPassword = 'a brand new passphrase 9';

interface MfaAccount {
  user: { id: number; email: string; username: string };
  secret: string;
  recoveryCodes: string[];
  /** The refresh token of the session the account signed up with: password only (amr pwd), opened before the app was enrolled. */
  pwdRefresh: string;
}

/**
 * Step-up: for an account with a second factor, every sensitive change needs the password and a
 * fresh second factor (an MFA sign-in within `mfa_step_up_window`, or a `code` in the body), over a
 * real socket on the app's ManualClock.
 */
describe.each(backends)('step-up for sensitive changes on %s', (backend) => {
  let app: TestApp;
  let send: Wire;
  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
    send = wire(await app.http.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const code = (a: MfaAccount) => codeAt(a.secret, app.clock.now());

  async function mfaAccount(): Promise<MfaAccount> {
    const signed = await app.signUp();
    const { secret, recoveryCodes } = await enrolTotp(app, send, signed.access_token);
    return { user: signed.user, secret, recoveryCodes, pwdRefresh: signed.refresh_token };
  }

  /** A current access token of the session `refreshToken` belongs to (its auth_time and amr stay the sign-in's). */
  async function accessOf(refreshToken: string): Promise<string> {
    const refreshed = await send('POST', '/v1/auth/refresh', { payload: { refresh_token: refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    return refreshed.json().access_token as string;
  }

  /** A sign-in with the password and the app's code: a session with amr pwd, otp, mfa. */
  async function mfaSignIn(a: MfaAccount): Promise<{ access_token: string; refresh_token: string }> {
    const first = await send('POST', '/v1/auth/login', { payload: { login: a.user.email, password: testPassword } });
    expectProblem(first, 401, 'mfa_required');
    const done = await send('POST', '/v1/auth/mfa/verify', { payload: { mfa_token: first.json().mfa_token, code: code(a) } });
    expect(done.statusCode).toBe(200);
    // The code's step is spent: move on, so the next code is a fresh one.
    app.clock.advance(30);
    return done.json();
  }

  /** The access token of an MFA sign-in made longer ago than the window (refreshed: auth_time stays the sign-in's). */
  async function staleMfaToken(a: MfaAccount): Promise<string> {
    const session = await mfaSignIn(a);
    app.clock.advance(windowSeconds + 60);
    const token = await accessOf(session.refresh_token);
    const claims = decodeJwt(token);
    expect(claims.amr).toEqual(expect.arrayContaining(['otp', 'mfa']));
    expect(Math.floor(app.clock.now() / 1000) - (claims.auth_time as number)).toBeGreaterThan(windowSeconds);
    return token;
  }

  interface Change {
    name: string;
    /** Prepares the account (e.g. a passkey to remove); returns what `run` needs. */
    setup?: (a: MfaAccount) => Promise<string>;
    run: (a: MfaAccount, token: string, extra: Record<string, unknown>, prepared: string) => ReturnType<Wire>;
    ok: number;
    /** Throws unless the change did not happen. */
    unchanged: (a: MfaAccount, prepared: string) => Promise<void>;
  }

  const userRow = (id: number) => app.store.db.selectFrom('users').select(['email', 'password_hash']).where('id', '=', id).executeTakeFirst();
  const tokenCount = async (id: number) => (await app.store.db.selectFrom('api_tokens').select('id').where('user_id', '=', id).execute()).length;
  const passkeyCount = async (id: number) => (await app.store.db.selectFrom('passkeys').select('id').where('user_id', '=', id).execute()).length;

  const changes: Change[] = [
    {
      name: 'change the password',
      run: (_a, token, extra) => send('PUT', '/v1/me/password', { token, payload: { old_password: testPassword, new_password: newPassword, ...extra } }),
      ok: 204,
      unchanged: async (a) => {
        const res = await send('POST', '/v1/auth/login', { payload: { login: a.user.email, password: testPassword } });
        expectProblem(res, 401, 'mfa_required');
      },
    },
    {
      name: 'change the email',
      run: (a, token, extra) => send('PATCH', '/v1/me', { token, payload: { email: `moved-${a.user.id}@example.com`, current_password: testPassword, ...extra } }),
      ok: 200,
      unchanged: async (a) => {
        expect((await userRow(a.user.id))?.email).toBe(a.user.email);
        const mails = await app.store.db.selectFrom('outbox').select('id').where('to_addr', '=', `moved-${a.user.id}@example.com`).execute();
        expect(mails).toEqual([]);
      },
    },
    {
      name: 'change the username',
      run: (a, token, extra) => send('PATCH', '/v1/me', { token, payload: { username: `renamed${a.user.id}`, current_password: testPassword, ...extra } }),
      ok: 200,
      unchanged: async (a) => {
        const row = await app.store.db.selectFrom('users').select('username').where('id', '=', a.user.id).executeTakeFirstOrThrow();
        expect(row.username).toBe(a.user.username);
      },
    },
    {
      name: 'mint an API token',
      run: (_a, token, extra) => send('POST', '/v1/me/api-tokens', { token, payload: { name: 'lasting', current_password: testPassword, ...extra } }),
      ok: 201,
      unchanged: async (a) => expect(await tokenCount(a.user.id)).toBe(0),
    },
    {
      name: 'start adding a passkey',
      run: (_a, token, extra) => send('POST', '/v1/me/passkeys/options', { token, payload: { current_password: testPassword, ...extra } }),
      ok: 200,
      unchanged: async (a) => {
        const challenges = await app.store.db.selectFrom('webauthn_challenges').select('challenge').where('user_id', '=', a.user.id).where('purpose', '=', 'registration').execute();
        expect(challenges).toEqual([]);
      },
    },
    {
      name: 'remove a passkey',
      setup: async (a) => {
        const fresh = await mfaSignIn(a);
        const { passkey } = await addPasskey(app, fresh.access_token, new SoftAuthenticator(origin), 'Key');
        return passkey.id as string;
      },
      run: (_a, token, extra, id) => send('DELETE', `/v1/me/passkeys/${id}`, { token, payload: { current_password: testPassword, ...extra } }),
      ok: 204,
      unchanged: async (a) => expect(await passkeyCount(a.user.id)).toBe(1),
    },
    {
      name: 'delete the account',
      run: (_a, token, extra) => send('DELETE', '/v1/me', { token, payload: { password: testPassword, ...extra } }),
      ok: 204,
      unchanged: async (a) => expect(await userRow(a.user.id)).toBeDefined(),
    },
  ];

  describe.each(changes)('$name', (c) => {
    it(`attack: the password and a stolen access token of an MFA account cannot ${c.name} without a fresh second factor`, async () => {
      const a = await mfaAccount();
      const prepared = (await c.setup?.(a)) ?? '';
      const stale = await staleMfaToken(a);
      for (const token of [stale, await accessOf(a.pwdRefresh)]) {
        const res = await c.run(a, token, {}, prepared);
        expectProblem(res, 403, 'step_up_required');
        expect(res.json().factors).toEqual(['totp', 'recovery_code']);
        expect(res.json().detail).toMatch(/second factor/);
        await c.unchanged(a, prepared);
      }
    });

    it(`accepted with a fresh code from the app, and without one right after an MFA sign-in (not after the window)`, async () => {
      const a = await mfaAccount();
      const prepared = (await c.setup?.(a)) ?? '';
      const stale = await staleMfaToken(a);
      const withCode = await c.run(a, stale, { code: code(a) }, prepared);
      expect(withCode.statusCode, withCode.body).toBe(c.ok);

      const b = await mfaAccount();
      const preparedB = (await c.setup?.(b)) ?? '';
      const fresh = await mfaSignIn(b);
      app.clock.advance(windowSeconds - 120);
      const right = await c.run(b, await accessOf(fresh.refresh_token), {}, preparedB);
      expect(right.statusCode, right.body).toBe(c.ok);
    });
  });

  it('after the window an MFA session needs a code again; the window is the runtime setting mfa_step_up_window', async () => {
    const a = await mfaAccount();
    const fresh = await mfaSignIn(a);
    app.clock.advance(windowSeconds + 1);
    const refreshed = await accessOf(fresh.refresh_token);
    const mint = (extra: Record<string, unknown> = {}) => send('POST', '/v1/me/api-tokens', { token: refreshed, payload: { name: 'n', current_password: testPassword, ...extra } });
    expectProblem(await mint(), 403, 'step_up_required');
    await app.core.settings.update({ mfa_step_up_window: 3600 }, null);
    try {
      expect((await mint()).statusCode).toBe(201);
    } finally {
      await app.core.settings.update({ mfa_step_up_window: windowSeconds }, null);
    }
    await expect(app.core.settings.update({ mfa_step_up_window: 0 }, null)).rejects.toThrow();
    await expect(app.core.settings.update({ mfa_step_up_window: 10 * 86400 }, null)).rejects.toThrow();
  });

  it('a recovery code steps up once; a wrong or spent code is the wrong-code error on `code`, audited', async () => {
    const a = await mfaAccount();
    const stale = await staleMfaToken(a);
    const mint = (extra: Record<string, unknown>) => send('POST', '/v1/me/api-tokens', { token: stale, payload: { name: 'n', current_password: testPassword, ...extra } });
    const first = await mint({ code: a.recoveryCodes[0] });
    expect(first.statusCode, first.body).toBe(201);
    const again = await mint({ code: a.recoveryCodes[0] });
    expectProblem(again, 400, 'validation_failed');
    expect(again.json().errors).toEqual({ code: ['Wrong code.'] });
    const wrong = await mint({ code: '000000' === code(a) ? '111111' : '000000' });
    expectProblem(wrong, 400, 'validation_failed');
    expect(wrong.json().errors).toEqual({ code: ['Wrong code.'] });
    expect(await tokenCount(a.user.id)).toBe(1);
    expect(await auditKinds(app, a.user.id)).toEqual(expect.arrayContaining(['mfa.recovery_code_used', 'mfa.verify_failed']));
  });

  it('a wrong password is refused before the code is looked at: the code is not spent', async () => {
    const a = await mfaAccount();
    const stale = await staleMfaToken(a);
    const now = code(a);
    const wrong = await send('POST', '/v1/me/api-tokens', { token: stale, payload: { name: 'n', current_password: 'not it at all', code: now } });
    expectProblem(wrong, 400, 'wrong_password');
    const right = await send('POST', '/v1/me/api-tokens', { token: stale, payload: { name: 'n', current_password: testPassword, code: now } });
    expect(right.statusCode, right.body).toBe(201);
  });

  it('attack: 20 parallel step-ups with one TOTP code: exactly one succeeds (replay refused)', async () => {
    const a = await mfaAccount();
    const stale = await staleMfaToken(a);
    const now = code(a);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send('POST', '/v1/me/api-tokens', { token: stale, payload: { name: `t${i}`, current_password: testPassword, code: now } })),
    );
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of answers.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode).toBe(400);
      expect(r.json().errors).toEqual({ code: ['Wrong code.'] });
    }
    expect(await tokenCount(a.user.id)).toBe(1);
  });

  it('bad input on `code`: wrong types, oversized, odd Unicode digits → a clear 400, nothing changed', async () => {
    const a = await mfaAccount();
    const stale = await staleMfaToken(a);
    for (const bad of [123456, null, ['123456'], { code: '123456' }, true, 'x'.repeat(100_000), '1'.repeat(65)]) {
      const res = await send('POST', '/v1/me/api-tokens', { token: stale, payload: { name: 'n', current_password: testPassword, code: bad } });
      expect(res.statusCode, JSON.stringify(bad).slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.statusCode === 413 || res.json().code === 'validation_failed' || res.json().code === 'payload_too_large').toBe(true);
    }
    for (const odd of ['١٢٣٤٥٦', '１２３４５６', `${code(a)}\u200b`, '', '  ']) {
      const res = await send('PUT', '/v1/me/password', { token: stale, payload: { old_password: testPassword, new_password: newPassword, code: odd } });
      expectProblem(res, 400, 'validation_failed');
      expect(Object.keys(res.json().errors)).toEqual(['code']);
    }
    expect(await tokenCount(a.user.id)).toBe(0);
    const login = await send('POST', '/v1/auth/login', { payload: { login: a.user.email, password: testPassword } });
    expectProblem(login, 401, 'mfa_required');
  });

  it('an account without a second factor changes things on its password alone, as before, however old the session', async () => {
    const signed = await app.signUp();
    app.clock.advance(windowSeconds * 3);
    const refreshed = await accessOf(signed.refresh_token);
    const res = await send('POST', '/v1/me/api-tokens', { token: refreshed, payload: { name: 'n', current_password: testPassword } });
    expect(res.statusCode).toBe(201);
    const pw = await send('PUT', '/v1/me/password', { token: refreshed, payload: { old_password: testPassword, new_password: newPassword } });
    expect(pw.statusCode).toBe(204);
  });

  it('a passkey-only account: a passwordless passkey sign-in is a fresh second factor; an old password session is not, and a code cannot stand in', async () => {
    const signed = await app.signUp();
    const auth = new SoftAuthenticator(origin);
    await addPasskey(app, signed.access_token, auth, 'Key');
    const mint = (token: string, extra: Record<string, unknown> = {}) => send('POST', '/v1/me/api-tokens', { token, payload: { name: 'n', current_password: testPassword, ...extra } });
    const refused = await mint(signed.access_token);
    expectProblem(refused, 403, 'step_up_required');
    expect(refused.json().factors).toEqual([]);
    expect(refused.json().detail).toMatch(/passkey/);
    expectProblem(await mint(signed.access_token, { code: '123456' }), 400, 'validation_failed');
    const signedIn = await send('POST', '/v1/auth/passkey', { payload: { response: auth.get(await loginOptions(app)) } });
    expect(signedIn.statusCode).toBe(200);
    expect(decodeJwt(signedIn.json().access_token).amr).toEqual(expect.arrayContaining(['mfa']));
    expect((await mint(signedIn.json().access_token)).statusCode).toBe(201);
  });

  it('removing the authenticator app and regenerating recovery codes keep their own rules', async () => {
    const a = await mfaAccount();
    const stale = await staleMfaToken(a);
    const regen = await send('POST', '/v1/me/mfa/recovery-codes', { token: stale, payload: { current_password: testPassword } });
    expect(regen.statusCode).toBe(200);
    const noCode = await send('DELETE', '/v1/me/mfa/totp', { token: stale, payload: { current_password: testPassword } });
    expect(noCode.statusCode).toBe(400);
    const removed = await send('DELETE', '/v1/me/mfa/totp', { token: stale, payload: { current_password: testPassword, code: code(a) } });
    expect(removed.statusCode).toBe(204);
  });
});

/** A compatibility profile's client cannot send a code: an MFA account's sensitive change there is refused in the seed's shape. */
describe.each(backends)('step-up through a compatibility profile on %s', (backend) => {
  let app: TestApp;
  let send: Wire;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_COMPAT: 'drf-token', GATEHOUSE_ACTIVATION: 'none' });
    await relaxRateLimits(app);
    await app.core.settings.update({ profile_drf_token_allow_password_only_mfa: true }, null);
    send = wire(await app.http.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('attack: drf-token /change_password/ with the password and the key of an MFA account is refused as DRF refuses, the password unchanged', async () => {
    const signed = await app.signUp();
    await enrolTotp(app, send, signed.access_token);
    const login = await send('POST', '/login/', { payload: { username: signed.user.username, password: testPassword } });
    expect(login.statusCode, login.body).toBe(200);
    const key = login.json().token as string;
    const res = await send('POST', '/change_password/', { headers: { authorization: `Token ${key}` }, payload: { old_password: testPassword, new_password: newPassword } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: expect.stringMatching(/multi-factor authentication, which this app cannot ask for/) });
    const again = await send('POST', '/login/', { payload: { username: signed.user.username, password: testPassword } });
    expect(again.statusCode).toBe(200);
  });

  it('an account without a second factor changes its password there as the seed does', async () => {
    const signed = await app.signUp();
    const login = await send('POST', '/login/', { payload: { username: signed.user.username, password: testPassword } });
    const res = await send('POST', '/change_password/', { headers: { authorization: `Token ${login.json().token}` }, payload: { old_password: testPassword, new_password: newPassword } });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe.each(backends)('step-up through the jwt-uuid-refresh profile on %s', (backend) => {
  let app: TestApp;
  let send: Wire;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_COMPAT: 'jwt-uuid-refresh', GATEHOUSE_ACTIVATION: 'none' });
    await relaxRateLimits(app);
    await app.core.settings.update({ profile_jwt_uuid_refresh_allow_password_only_mfa: true }, null);
    send = wire(await app.http.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const changeEmail = async (email: string, moved: string) => {
    const login = await send('POST', '/api/login/', { payload: { email, password: testPassword } });
    expect(login.statusCode, login.body).toBe(200);
    return send('PUT', '/api/me/', { token: login.json().access_token, payload: { email: moved } });
  };

  it('attack: a password-only profile session of an MFA account cannot change its email; the address stays', async () => {
    const signed = await app.signUp();
    await enrolTotp(app, send, signed.access_token);
    const res = await changeEmail(signed.user.email, `moved-${signed.user.id}@example.com`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: expect.stringMatching(/multi-factor authentication, which this app cannot ask for/) });
    const row = await app.store.db.selectFrom('users').select('email').where('id', '=', signed.user.id).executeTakeFirstOrThrow();
    expect(row.email).toBe(signed.user.email);
  });

  it('an account without a second factor changes its email there as the seed does', async () => {
    const signed = await app.signUp();
    const res = await changeEmail(signed.user.email, `moved-${signed.user.id}@example.com`);
    expect(res.statusCode, res.body).toBe(200);
  });
});
