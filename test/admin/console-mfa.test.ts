import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { addPasskey, origin, passkeyEnv, SoftAuthenticator } from '../mfa/passkey-support.js';
import { form, password, person, type Person } from './support.js';

const meta = { ip: '127.0.0.1', userAgent: 'test' };
/** The client side: a real TOTP computation, as an authenticator app does it. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface Answer {
  status: number;
  body: string;
  location: string | null;
  /** name=value of every Set-Cookie, and the whole header lines. */
  cookies: Record<string, string>;
  setCookie: string[];
}

/** The console's sign-in with a second factor, over real HTTP on a real port (fetch, no redirects followed). */
describe.each(backends)('console sign-in with a second factor on %s', (backend) => {
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

  async function http(method: 'GET' | 'POST', path: string, opts: { form?: Record<string, string>; cookie?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers };
    const res = await fetch(base + path, { method, headers, body: opts.form ? form(opts.form) : opts.body, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    const cookies: Record<string, string> = {};
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies[pair!.slice(0, at)] = pair!.slice(at + 1);
    }
    return { status: res.status, body: await res.text(), location: res.headers.get('location'), cookies, setCookie };
  }

  /** A staff member with an authenticator app (and its recovery codes). */
  async function staffWithTotp(): Promise<Person & { secret: string; recoveryCodes: string[] }> {
    const p = await person(app, 'staff');
    const { secret } = await startTotpEnrolment(app.core, p.id, { current_password: password }, meta);
    const { recoveryCodes } = await confirmTotpEnrolment(app.core, p.id, { code: codeAt(secret, app.clock.now()) }, meta);
    // The enrolment spent this step's code.
    app.clock.advance(90);
    return { ...p, secret, recoveryCodes };
  }

  /** The password step: its answer and the attempt cookie it set. */
  async function passwordStep(login: string, next?: string) {
    const res = await http('POST', '/admin/login', { form: { login, password, ...(next ? { next } : {}) } });
    const attempt = res.cookies.gatehouse_console_mfa;
    return { res, attempt, cookie: `gatehouse_console_mfa=${attempt}` };
  }

  /** The second-step page and the CSRF token its forms carry. */
  async function stepPage(cookie: string) {
    const page = await http('GET', '/admin/login/factor', { cookie });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const options = /data-options="([^"]+)"/.exec(page.body)?.[1];
    return { page, csrf, options: options ? (JSON.parse(unescape(options)) as { challenge: string; allowCredentials?: { id: string }[] }) : undefined };
  }

  const postFactor = (cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) => http('POST', '/admin/login/factor', { cookie, form: fields, headers });
  const consoleSessions = async (userId: number) => (await app.store.db.selectFrom('console_sessions').select('id_hash').where('user_id', '=', userId).execute()).length;
  const signedInAudit = async (userId: number) =>
    (await app.store.db.selectFrom('audit_events').select('detail').where('user_id', '=', userId).where('kind', '=', 'console.signed_in').orderBy('id', 'desc').execute()).map((r) => JSON.parse(r.detail as unknown as string));

  it('a right password asks for the second factor; the TOTP code signs in to the console, amr recorded, next kept', async () => {
    const staff = await staffWithTotp();
    const { res, attempt, cookie } = await passwordStep(staff.username, '/admin/users');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/login/factor?next=%2Fadmin%2Fusers');
    expect(res.cookies.gatehouse_console).toBeUndefined();
    expect(attempt).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const line = res.setCookie.find((l) => l.startsWith('gatehouse_console_mfa='))!;
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    expect(line).toMatch(/Max-Age=300/);

    const { page, csrf, options } = await stepPage(cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Two-step verification');
    expect(page.body).toContain('or a recovery code');
    expect(page.body).not.toContain(attempt);
    expect(page.body).not.toContain('Use a passkey');
    expect(options).toBeUndefined();
    expect(csrf).not.toBe('');

    const done = await postFactor(cookie, { _csrf: csrf, next: '/admin/users', code: codeAt(staff.secret, app.clock.now()) });
    expect(done.status, done.body).toBe(303);
    expect(done.location).toBe('/admin/users');
    expect(done.cookies.gatehouse_console).toBeTruthy();
    expect(done.cookies.gatehouse_console_mfa).toBe('');
    const overview = await http('GET', '/admin', { cookie: `gatehouse_console=${done.cookies.gatehouse_console}` });
    expect(overview.status).toBe(200);
    expect(overview.body).toContain('name="_csrf"');
    expect((await signedInAudit(staff.id))[0]).toEqual({ amr: ['pwd', 'otp', 'mfa'] });

    // The attempt is spent: its cookie does not open a second session.
    const again = await postFactor(cookie, { _csrf: csrf, code: codeAt(staff.secret, app.clock.now() + 30_000) });
    expect(again.status).toBe(401);
    expect(again.body).toContain('Sign in again');
    expect(again.cookies.gatehouse_console).toBeUndefined();
    expect(await consoleSessions(staff.id)).toBe(1);
  });

  it('a password-only staff account signs in as before, amr pwd', async () => {
    const staff = await person(app, 'staff');
    const res = await http('POST', '/admin/login', { form: { login: staff.username, password } });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin');
    expect(res.cookies.gatehouse_console).toBeTruthy();
    expect(res.cookies.gatehouse_console_mfa).toBeUndefined();
    expect((await signedInAudit(staff.id))[0]).toEqual({ amr: ['pwd'] });
  });

  it('a recovery code signs in once; the same code on a later attempt is refused', async () => {
    const staff = await staffWithTotp();
    const code = staff.recoveryCodes[0]!;
    const first = await passwordStep(staff.email);
    const { csrf } = await stepPage(first.cookie);
    const done = await postFactor(first.cookie, { _csrf: csrf, code: code.toUpperCase() });
    expect(done.status, done.body).toBe(303);
    expect(done.cookies.gatehouse_console).toBeTruthy();
    expect((await signedInAudit(staff.id))[0]).toEqual({ amr: ['pwd', 'otp', 'mfa'] });

    const second = await passwordStep(staff.email);
    const step = await stepPage(second.cookie);
    const reused = await postFactor(second.cookie, { _csrf: step.csrf, code });
    expect(reused.status).toBe(401);
    expect(reused.body).toContain('That code is not right');
    expect(reused.body).toContain('Two-step verification');
    expect(reused.cookies.gatehouse_console).toBeUndefined();
    expect(await consoleSessions(staff.id)).toBe(1);
  });

  it('wrong codes show the page again, and the attempt ends after mfa_token_max_attempts (the right code then too)', async () => {
    await app.core.settings.update({ mfa_token_max_attempts: 3 }, null);
    try {
      const staff = await staffWithTotp();
      const { cookie } = await passwordStep(staff.username);
      const { csrf } = await stepPage(cookie);
      for (const wrong of ['000000', 'not-a-code']) {
        const res = await postFactor(cookie, { _csrf: csrf, code: wrong === '000000' && codeAt(staff.secret, app.clock.now()) === '000000' ? '111111' : wrong });
        expect(res.status).toBe(401);
        expect(res.body).toContain('That code is not right. Try again.');
        expect(res.cookies.gatehouse_console).toBeUndefined();
      }
      const third = await postFactor(cookie, { _csrf: csrf, code: '999999' === codeAt(staff.secret, app.clock.now()) ? '888888' : '999999' });
      expect(third.status).toBe(401);
      expect(third.body).toContain('This sign-in attempt has expired or had too many wrong codes');
      expect(third.body).toContain('action="/admin/login"');
      const right = await postFactor(cookie, { _csrf: csrf, code: codeAt(staff.secret, app.clock.now()) });
      expect(right.status).toBe(401);
      expect(right.cookies.gatehouse_console).toBeUndefined();
      expect(await consoleSessions(staff.id)).toBe(0);
      const failed = await app.store.db.selectFrom('audit_events').select('id').where('user_id', '=', staff.id).where('kind', '=', 'mfa.verify_failed').execute();
      expect(failed).toHaveLength(3);
    } finally {
      await app.core.settings.update({ mfa_token_max_attempts: 5 }, null);
    }
  });

  it('attack: a staff password alone signs into the console of an MFA account', async () => {
    const staff = await staffWithTotp();
    const { res, attempt, cookie } = await passwordStep(staff.username);
    expect(res.cookies.gatehouse_console).toBeUndefined();
    // Neither the attempt cookie nor its value as a console cookie is a console session.
    for (const c of [cookie, `gatehouse_console=${attempt}`]) {
      const page = await http('GET', '/admin', { cookie: c });
      expect(page.status).toBe(303);
      expect(page.location).toBe('/admin/login');
      const api = await http('GET', '/v1/admin/users', { cookie: c });
      expect(api.status).toBe(401);
    }
    expect(await consoleSessions(staff.id)).toBe(0);
  });

  it('attack: the second step posted cross-origin or without the attempt\'s CSRF token is refused and spends nothing', async () => {
    const staff = await staffWithTotp();
    const { cookie } = await passwordStep(staff.username);
    const { csrf } = await stepPage(cookie);
    const other = await passwordStep(staff.username);
    const otherCsrf = (await stepPage(other.cookie)).csrf;
    const code = codeAt(staff.secret, app.clock.now());
    const crossSite = await postFactor(cookie, { _csrf: csrf, code }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    for (const bad of ['', 'x'.repeat(43), otherCsrf]) {
      const res = await postFactor(cookie, { _csrf: bad, code });
      expect(res.status).toBe(403);
      expect(res.cookies.gatehouse_console).toBeUndefined();
    }
    expect(await consoleSessions(staff.id)).toBe(0);
    // Nothing was spent: the code and the attempt still work.
    const done = await postFactor(cookie, { _csrf: csrf, code }, { origin });
    expect(done.status, done.body).toBe(303);
    expect(done.cookies.gatehouse_console).toBeTruthy();
  });

  it('attack: a non-staff account\'s mfa_token from the native login in the attempt cookie opens no console session', async () => {
    const user = await person(app, 'user');
    const { secret } = await startTotpEnrolment(app.core, user.id, { current_password: password }, meta);
    await confirmTotpEnrolment(app.core, user.id, { code: codeAt(secret, app.clock.now()) }, meta);
    app.clock.advance(90);
    // The console's own password step refuses it before any second step.
    const direct = await http('POST', '/admin/login', { form: { login: user.username, password } });
    expect(direct.status).toBe(403);
    expect(direct.cookies.gatehouse_console_mfa).toBeUndefined();
    const native = await http('POST', '/v1/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: user.username, password }) });
    const mfaToken = (JSON.parse(native.body) as { mfa_token: string }).mfa_token;
    expect(mfaToken).toBeTruthy();
    const cookie = `gatehouse_console_mfa=${mfaToken}`;
    const { csrf } = await stepPage(cookie);
    const res = await postFactor(cookie, { _csrf: csrf, code: codeAt(secret, app.clock.now()) });
    expect(res.status).toBe(403);
    expect(res.body).toContain('This account may not use the console.');
    expect(res.cookies.gatehouse_console).toBeUndefined();
    expect(await consoleSessions(user.id)).toBe(0);
  });

  it('attack: an attempt past mfa_token_ttl is refused even with the right code', async () => {
    const staff = await staffWithTotp();
    const { cookie } = await passwordStep(staff.username);
    const { csrf } = await stepPage(cookie);
    app.clock.advance(301);
    const res = await postFactor(cookie, { _csrf: csrf, code: codeAt(staff.secret, app.clock.now()) });
    expect(res.status).toBe(401);
    expect(res.body).toContain('This sign-in attempt has expired');
    expect(res.cookies.gatehouse_console).toBeUndefined();
    const page = await http('GET', '/admin/login/factor', { cookie });
    expect(page.status).toBe(401);
    expect(page.body).toContain('Sign in again');
  });

  it('a passkey is the second factor: the page carries options bound to the attempt, the assertion signs in with its amr', async () => {
    const staff = await person(app, 'staff');
    const key = new SoftAuthenticator(origin);
    await addPasskey(app, staff.token, key, 'Laptop');
    const { res, cookie } = await passwordStep(staff.username);
    expect(res.status).toBe(303);
    const { page, csrf, options } = await stepPage(cookie);
    expect(page.body).toContain('Use a passkey');
    expect(page.body).not.toContain('name="code"');
    expect(page.body).toMatch(/<script src="\/account\/assets\/simplewebauthn-browser\.js\?v=[^"]+" defer><\/script>/);
    expect(page.body).toMatch(/<script src="\/account\/assets\/passkeys\.js\?v=[^"]+" defer><\/script>/);
    expect(options?.allowCredentials).toHaveLength(1);

    // An assertion over another attempt's challenge is refused (spending an attempt of this one).
    const other = await passwordStep(staff.username);
    const otherOptions = (await stepPage(other.cookie)).options!;
    const crossed = await postFactor(cookie, { _csrf: csrf, passkey: JSON.stringify(key.get(otherOptions)) });
    expect(crossed.status).toBe(401);
    expect(crossed.body).toContain('That passkey could not be verified');
    expect(crossed.cookies.gatehouse_console).toBeUndefined();

    const fresh = await stepPage(cookie);
    const done = await postFactor(cookie, { _csrf: fresh.csrf, passkey: JSON.stringify(key.get(fresh.options!)) });
    expect(done.status, done.body).toBe(303);
    expect(done.cookies.gatehouse_console).toBeTruthy();
    const amr = (await signedInAudit(staff.id))[0].amr as string[];
    expect(amr[0]).toBe('pwd');
    expect(amr).toContain('mfa');
    expect(amr.some((m) => m === 'hwk' || m === 'swk')).toBe(true);
  });

  it('require MFA for staff: past the grace a staff member without a factor gets no console session, only a page sending them to /account', async () => {
    const staff = await person(app, 'staff');
    const inGrace = await person(app, 'staff');
    const enrolled = await staffWithTotp();
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: 86_400 }, null);
    try {
      // Within the grace (it starts at the first login under the requirement): signed in as today.
      const early = await http('POST', '/admin/login', { form: { login: inGrace.username, password } });
      expect(early.status).toBe(303);
      expect(early.cookies.gatehouse_console).toBeTruthy();

      await app.core.settings.update({ mfa_enrolment_grace: 0 }, null);
      const overdue = await http('POST', '/admin/login', { form: { login: staff.username, password } });
      expect(overdue.status).toBe(403);
      expect(overdue.body).toContain('must enrol a second factor');
      expect(overdue.body).toContain('href="/account"');
      expect(overdue.cookies.gatehouse_console).toBeUndefined();
      expect(overdue.cookies.gatehouse_console_mfa).toBeUndefined();
      expect(await consoleSessions(staff.id)).toBe(0);
      // The same decision as the native login's (core/mfa/password-login.ts): it too is refused a session.
      const native = await http('POST', '/v1/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: staff.username, password }) });
      expect(native.status).toBe(403);
      expect(JSON.parse(native.body).type).toContain('mfa_enrolment_required');
      // An account with a factor is asked for it, not refused.
      expect((await passwordStep(enrolled.username)).res.location).toBe('/admin/login/factor');
    } finally {
      await app.core.settings.update({ mfa_required_staff: false, mfa_enrolment_grace: 7 * 86_400 }, null);
    }
  });

  it('bad input: the second step answers a clear 4xx and writes no session', async () => {
    const staff = await staffWithTotp();
    const { cookie } = await passwordStep(staff.username);
    const { csrf } = await stepPage(cookie);
    const cases: [string, () => Promise<Answer>, number][] = [
      ['no attempt cookie', () => postFactor('', { _csrf: csrf, code: '123456' }), 401],
      ['an unknown attempt', () => postFactor('gatehouse_console_mfa=nonsense', { _csrf: csrf, code: '123456' }), 403],
      ['missing _csrf', () => postFactor(cookie, { code: '123456' }), 400],
      // Fields the form does not have are dropped (removeAdditional), so this one is a form without a factor.
      ['an extra field only', () => postFactor(cookie, { _csrf: csrf, password }), 400],
      ['an oversized code', () => postFactor(cookie, { _csrf: csrf, code: '1'.repeat(65) }), 400],
      ['an oversized passkey answer', () => postFactor(cookie, { _csrf: csrf, passkey: 'x'.repeat(16_385) }), 400],
      ['no factor', () => postFactor(cookie, { _csrf: csrf }), 400],
      ['a code and a passkey', () => postFactor(cookie, { _csrf: csrf, code: '123456', passkey: '{}' }), 400],
      ['a passkey answer that is not JSON', () => postFactor(cookie, { _csrf: csrf, passkey: '{not json' }), 400],
      ['a passkey answer that is not an assertion', () => postFactor(cookie, { _csrf: csrf, passkey: '[1,2]' }), 400],
      ['a JSON body', () => http('POST', '/admin/login/factor', { cookie, headers: { 'content-type': 'application/json' }, body: '{"_csrf":' }), 400],
      ['a wrong content type', () => http('POST', '/admin/login/factor', { cookie, headers: { 'content-type': 'text/plain' }, body: 'code=1' }), 415],
      ['an empty attempt cookie on the page', () => http('GET', '/admin/login/factor', { cookie: 'gatehouse_console_mfa=' }), 303],
    ];
    for (const [what, answer, status] of cases) {
      const res = await answer();
      expect(res.status, `${what}: ${res.body.slice(0, 200)}`).toBe(status);
      expect(res.cookies.gatehouse_console, what).toBeUndefined();
    }
    expect(await consoleSessions(staff.id)).toBe(0);
    // None of it spent an attempt: the right code still signs in.
    const done = await postFactor(cookie, { _csrf: csrf, code: codeAt(staff.secret, app.clock.now()) });
    expect(done.status, done.body).toBe(303);
  });
});
