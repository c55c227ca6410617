import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { auditKinds, expectProblem } from '../recovery/support.js';
import { codeAt, enrolTotp, methodMails, wire, type Wire } from './totp-support.js';

const codeShape = /^[a-hjkmnp-tv-z0-9]{4}-[a-hjkmnp-tv-z0-9]{4}-[a-hjkmnp-tv-z0-9]{4}$/;

/**
 * Managing an authenticator app and recovery codes through the native API, over a real socket, on
 * the app's ManualClock (codes are computed with otpauth from the returned secret, as an app does).
 */
describe.each(backends)('the authenticator app routes over HTTP on %s', (backend) => {
  let app: TestApp;
  let send: Wire;
  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    send = wire(await app.http.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const login = (user: { email: string }) => send('POST', '/v1/auth/login', { payload: { login: user.email, password: testPassword } });
  const verify = (payload: Record<string, unknown>) => send('POST', '/v1/auth/mfa/verify', { payload });
  const overview = async (token: string) => {
    const res = await send('GET', '/v1/me/mfa', { token });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const mfaToken = async (user: { email: string }) => {
    const res = await login(user);
    expectProblem(res, 401, 'mfa_required');
    return res.json().mfa_token as string;
  };

  it('enrol → confirm → login asks for the code → replay refused → a recovery code works once → regenerate → remove', async () => {
    const { access_token: token, user } = await app.signUp();
    expect(await overview(token)).toEqual({ totp: false, passkeys: [], recovery_codes_left: 0 });

    const started = await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } });
    expect(started.statusCode).toBe(200);
    const { secret, otpauth_uri, qr_svg } = started.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauth_uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Gatehouse');
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    expect(qr_svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(qr_svg).toContain('<path');
    expect(qr_svg).not.toMatch(/<script|href=/i);
    // Sealed at rest: the stored row never holds the secret itself.
    const row = await app.store.db.selectFrom('totp_factors').select(['secret_enc', 'confirmed_at']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret);
    expect(row.confirmed_at).toBeNull();
    // Pending is not enrolled: a password login is still one step.
    expect(await overview(token)).toMatchObject({ totp: false });
    expect((await login(user)).statusCode).toBe(200);

    const confirmed = await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: codeAt(secret, app.clock.now()) } });
    expect(confirmed.statusCode).toBe(200);
    const codes = confirmed.json().recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(codeShape);
    expect(await overview(token)).toEqual({ totp: true, passkeys: [], recovery_codes_left: 10 });
    expectProblem(await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: codeAt(secret, app.clock.now()) } }), 409, 'conflict');
    expectProblem(await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } }), 409, 'conflict');

    // The login now asks for the second factor; the app's next code finishes it.
    app.clock.advance(30);
    const first = await login(user);
    expectProblem(first, 401, 'mfa_required');
    expect(first.json().factors).toEqual(['totp', 'recovery_code']);
    const code = codeAt(secret, app.clock.now());
    const done = await verify({ mfa_token: first.json().mfa_token, code });
    expect(done.statusCode).toBe(200);
    expect(decodeJwt(done.json().access_token).amr).toEqual(['pwd', 'otp', 'mfa']);
    // The same code again, in its own window, on a fresh login: refused.
    const second = await mfaToken(user);
    expectProblem(await verify({ mfa_token: second, code }), 401, 'invalid_mfa_code');

    // A recovery code works once (typed in capitals, without dashes: still the same code).
    const recovered = await verify({ mfa_token: second, recovery_code: codes[0]!.replace(/-/g, '').toUpperCase() });
    expect(recovered.statusCode).toBe(200);
    expectProblem(await verify({ mfa_token: await mfaToken(user), recovery_code: codes[0]! }), 401, 'invalid_mfa_code');
    const fresh = recovered.json().access_token as string;
    expect((await overview(fresh)).recovery_codes_left).toBe(9);

    // Regenerate with the password: a whole new set; the old ones stop working.
    const regenerated = await send('POST', '/v1/me/mfa/recovery-codes', { token: fresh, payload: { current_password: testPassword } });
    expect(regenerated.statusCode).toBe(200);
    const next = regenerated.json().recovery_codes as string[];
    expect(next).toHaveLength(10);
    expect(next.filter((c) => codes.includes(c))).toEqual([]);
    expect((await overview(fresh)).recovery_codes_left).toBe(10);
    expectProblem(await verify({ mfa_token: await mfaToken(user), recovery_code: codes[1]! }), 401, 'invalid_mfa_code');
    expect((await verify({ mfa_token: await mfaToken(user), recovery_code: next[0]! })).statusCode).toBe(200);
    // … or with a current code of the app instead of the password.
    app.clock.advance(30);
    const byCode = await send('POST', '/v1/me/mfa/recovery-codes', { token: fresh, payload: { code: codeAt(secret, app.clock.now()) } });
    expect(byCode.statusCode).toBe(200);
    expect(byCode.json().recovery_codes.filter((c: string) => next.includes(c))).toEqual([]);

    // Remove: password and a fresh code; then the login is a single step again.
    app.clock.advance(30);
    const removed = await send('DELETE', '/v1/me/mfa/totp', { token: fresh, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now()) } });
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    expect(await overview(fresh)).toEqual({ totp: false, passkeys: [], recovery_codes_left: 0 });
    const single = await login(user);
    expect(single.statusCode).toBe(200);
    expect(decodeJwt(single.json().access_token).amr).toEqual(['pwd']);
    expectProblem(await send('DELETE', '/v1/me/mfa/totp', { token: fresh, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now()) } }), 404, 'not_found');

    expect(await auditKinds(app, user.id)).toEqual(expect.arrayContaining([
      'mfa.totp_enrolment_started', 'mfa.totp_enrolled', 'mfa.recovery_codes_generated', 'mfa.verified', 'mfa.verify_failed', 'mfa.recovery_code_used', 'mfa.totp_removed',
    ]));
    // One notice per change, worded from its facts (and never carrying a secret or a code).
    const mails = await methodMails(app, user.email);
    expect(mails).toEqual([
      'An authenticator app was just added to your Gatehouse account.',
      'A recovery code was just used to sign in to your Gatehouse account (9 left).',
      'A new set of recovery codes was just issued for your Gatehouse account.',
      'A recovery code was just used to sign in to your Gatehouse account (9 left).',
      'A new set of recovery codes was just issued for your Gatehouse account.',
      'An authenticator app was just removed from your Gatehouse account.',
    ]);
    const bodies = (await app.store.db.selectFrom('outbox').select(['text_body', 'html_body']).where('to_addr', '=', user.email).execute()).map((m) => m.text_body + m.html_body).join('\n');
    for (const secretish of [secret, ...codes, ...next]) expect(bodies).not.toContain(secretish);
  });

  it('a French account gets its notices in French', async () => {
    const { access_token: token, user } = await app.signUp();
    expect((await send('PATCH', '/v1/me', { token, payload: { locale: 'fr' } })).statusCode).toBe(200);
    await enrolTotp(app, send, token);
    expect(await methodMails(app, user.email)).toEqual(['Une application d’authentification vient d’être ajoutée à votre compte Gatehouse.']);
  });

  it('wrong passwords and codes are refused and change nothing', async () => {
    const { access_token: token, user } = await app.signUp();
    const wrongPassword = await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: 'not the password' } });
    expectProblem(wrongPassword, 400, 'wrong_password');
    expect(wrongPassword.json().errors.current_password).toEqual(['Wrong password.']);
    expect(await app.store.db.selectFrom('totp_factors').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
    expectProblem(await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: '123456' } }), 409, 'conflict');
    expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { current_password: testPassword } }), 409, 'conflict');
    expectProblem(await send('DELETE', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword, code: '123456' } }), 404, 'not_found');

    const { secret } = (await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } })).json();
    // A code two steps away (drift beyond ±1), a code of another secret, and junk: all wrong.
    for (const code of [codeAt(secret, app.clock.now() + 61_000), codeAt(secret, app.clock.now() - 61_000), 'abcdef', '12345']) {
      const res = await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code } });
      expectProblem(res, 400, 'validation_failed');
      expect(res.json().errors.code).toEqual(['Wrong code.']);
    }
    expect(await overview(token)).toMatchObject({ totp: false, recovery_codes_left: 0 });
    // One step late still confirms (clock drift), with the app's spaces.
    const late = codeAt(secret, app.clock.now() - 30_000);
    const ok = await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: `${late.slice(0, 3)} ${late.slice(3)}` } });
    expect(ok.statusCode).toBe(200);
    const codes = ok.json().recovery_codes as string[];
    app.clock.advance(30);

    const mailsBefore = (await methodMails(app, user.email)).length;
    expectProblem(await send('DELETE', '/v1/me/mfa/totp', { token, payload: { current_password: 'not the password', code: codeAt(secret, app.clock.now()) } }), 400, 'wrong_password');
    const wrongCode = await send('DELETE', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now() + 90_000) } });
    expectProblem(wrongCode, 400, 'validation_failed');
    expect(wrongCode.json().errors.code).toEqual(['Wrong code.']);
    expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: {} }), 400, 'validation_failed');
    expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { current_password: 'not the password' } }), 400, 'wrong_password');
    expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { code: codeAt(secret, app.clock.now() - 90_000) } }), 400, 'validation_failed');
    // A right password does not excuse a wrong code sent with it.
    expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { current_password: testPassword, code: 'nope' } }), 400, 'validation_failed');
    expect(await overview(token)).toMatchObject({ totp: true, recovery_codes_left: 10 });
    expect((await verify({ mfa_token: await mfaToken(user), recovery_code: codes[0]! })).statusCode).toBe(200);
    expect((await methodMails(app, user.email)).length).toBe(mailsBefore + 1);
  });

  it('an API token may read the factors but not change them', async () => {
    const { access_token: token } = await app.signUp();
    const key = (await send('POST', '/v1/me/api-tokens', { token, payload: { name: 'ci', current_password: testPassword } })).json().key as string;
    const apiKey = { authorization: `Token ${key}` };
    expect((await send('GET', '/v1/me/mfa', { headers: apiKey })).json()).toEqual({ totp: false, passkeys: [], recovery_codes_left: 0 });
    const body = { current_password: testPassword, code: '123456' };
    for (const [method, path] of [['POST', '/v1/me/mfa/totp'], ['POST', '/v1/me/mfa/totp/confirm'], ['DELETE', '/v1/me/mfa/totp'], ['POST', '/v1/me/mfa/recovery-codes']] as const) {
      expectProblem(await send(method, path, { headers: apiKey, payload: body }), 403, 'permission_denied');
    }
  });

  it('attack: a stolen access token alone cannot remove the authenticator app', async () => {
    const { access_token: stolen, user } = await app.signUp();
    const { secret } = await enrolTotp(app, send, stolen);
    // Without the password, without the device, with either one alone: refused, and the app stays.
    const attempts: Record<string, unknown>[] = [{}, { code: '123456' }, { current_password: 'guess' }, { current_password: 'guess', code: '123456' }, { current_password: testPassword }, { current_password: testPassword, code: '' }, { code: codeAt(secret, app.clock.now()) }, { current_password: '', code: codeAt(secret, app.clock.now()) }];
    for (const payload of attempts) {
      const res = await send('DELETE', '/v1/me/mfa/totp', { token: stolen, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await overview(stolen)).toMatchObject({ totp: true, recovery_codes_left: 10 });
    expect(await auditKinds(app, user.id)).not.toContain('mfa.totp_removed');
    expectProblem(await login(user), 401, 'mfa_required');
  });

  it('attack: a stolen access token cannot walk the app\'s codes to mint new recovery codes (each guess spends the account\'s login budget)', async () => {
    const { access_token: stolen, user } = await app.signUp();
    const { secret } = await enrolTotp(app, send, stolen);
    // A fresh rate window (the enrolment's password check spent one), and a small budget.
    app.clock.advance(app.core.settings.get('rate_window') + 1);
    await app.core.settings.update({ rate_login_account: 5 }, null);
    try {
      const right = codeAt(secret, app.clock.now());
      const guesses = ['000000', '111111', '222222', '333333', '444444', '555555'].filter((g) => g !== right).slice(0, 5);
      for (const code of guesses) expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token: stolen, payload: { code } }), 400, 'validation_failed');
      // The budget is spent: even the right code is not looked at until the window passes.
      const blocked = await send('POST', '/v1/me/mfa/recovery-codes', { token: stolen, payload: { code: right } });
      expectProblem(blocked, 429, 'rate_limited');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(await overview(stolen)).toMatchObject({ recovery_codes_left: 10 });
      expect((await auditKinds(app, user.id)).filter((k) => k === 'mfa.recovery_codes_generated')).toHaveLength(1);
    } finally {
      await relaxRateLimits(app);
    }
  });

  it('attack: 20 parallel confirms issue one set of recovery codes', async () => {
    const { access_token: token, user } = await app.signUp();
    const { secret } = (await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } })).json();
    const now = app.clock.now();
    // Right codes of the previous, current and next step, sent at once.
    const codes = Array.from({ length: 20 }, (_, i) => codeAt(secret, now + ((i % 3) - 1) * 30_000));
    const results = await Promise.all(codes.map((code) => send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code } })));
    const winners = results.filter((r) => r.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.statusCode !== 200).map((r) => r.statusCode)).toEqual(Array(19).fill(409));
    const stored = await app.store.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    expect(await methodMails(app, user.email)).toHaveLength(1);
    expect((await auditKinds(app, user.id)).filter((k) => k === 'mfa.totp_enrolled')).toHaveLength(1);
    // The set handed out is the set stored.
    const issued = winners[0]!.json().recovery_codes as string[];
    expect((await verify({ mfa_token: await mfaToken(user), recovery_code: issued[9]! })).statusCode).toBe(200);
  });

  it('an enrolment-only token enrols an authenticator app and does nothing else', async () => {
    const { user } = await app.signUp();
    const grace = app.core.settings.get('mfa_enrolment_grace');
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: 0 }, null);
    try {
      const overdue = await login(user);
      expectProblem(overdue, 403, 'mfa_enrolment_required');
      const token = overdue.json().enrolment_token as string;
      expect(token).toMatch(/^ghe_/);
      expect(await overview(token)).toEqual({ totp: false, passkeys: [], recovery_codes_left: 0 });
      const started = await send('POST', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword } });
      expect(started.statusCode).toBe(200);
      const { secret } = started.json();
      // Not an enrolment route: removing, regenerating, the profile.
      expectProblem(await send('DELETE', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now()) } }), 403, 'mfa_enrolment_required');
      expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { current_password: testPassword } }), 403, 'mfa_enrolment_required');
      const confirmed = await send('POST', '/v1/me/mfa/totp/confirm', { token, payload: { code: codeAt(secret, app.clock.now()) } });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json().recovery_codes).toHaveLength(10);
      expect(await overview(token)).toMatchObject({ totp: true, recovery_codes_left: 10 });
      app.clock.advance(30);
      expectProblem(await send('POST', '/v1/me/mfa/recovery-codes', { token, payload: { code: codeAt(secret, app.clock.now()) } }), 403, 'mfa_enrolment_required');
      expectProblem(await send('DELETE', '/v1/me/mfa/totp', { token, payload: { current_password: testPassword, code: codeAt(secret, app.clock.now()) } }), 403, 'mfa_enrolment_required');
      expectProblem(await send('GET', '/v1/me/sessions', { token }), 403, 'mfa_enrolment_required');
      expect(await overview(token)).toMatchObject({ totp: true, recovery_codes_left: 10 });
      // Enrolled: the next login is the second-factor step, and it ends in a full session.
      const done = await verify({ mfa_token: await mfaToken(user), code: codeAt(secret, app.clock.now()) });
      expect(done.statusCode).toBe(200);
      expect((await send('GET', '/v1/me', { token: done.json().access_token })).statusCode).toBe(200);
    } finally {
      await app.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: grace }, null);
    }
  });
});
