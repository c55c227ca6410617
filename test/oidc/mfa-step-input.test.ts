import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxRateLimits } from '../support/app.js';
import { backends } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';
import { authorization, csrfOf, FormAgent, openHostedPage, startDeployment, type Deployment } from './browser-harness.js';
import { addPasskey } from '../mfa/passkey-support.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { mfaFieldOf, totpAccount } from './mfa-support.js';

const callback = 'http://127.0.0.1:9/cb';
const clients = [{ key: 'own', name: 'Own App', redirect_uris: [callback], first_party: true }];

/** The hosted second-factor step over HTTP (a FormAgent for a browser): bad input, expiry, replay, and the attacks on its binding. */
describe.each(backends)('hosted second-factor step: bad input and attacks (%s)', (backend) => {
  let d: Deployment;
  let issuer: string;
  const app = () => d.instances[0]!.app;

  beforeAll(async () => {
    d = await startDeployment(backend, 1, clients);
    issuer = d.url;
    await relaxRateLimits(app());
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  /** A new interaction, past its password step for `login`: the agent is on the second-factor page. */
  async function atFactorStep(login: string, agent = new FormAgent(issuer), extra: Record<string, string> = {}) {
    const auth = await authorization(issuer, d.clients.own!, callback, extra);
    const hosted = await openHostedPage(agent, auth.url, callback);
    const csrf = csrfOf(hosted.page);
    const password = await agent.send(`${hosted.path}/login`, { form: { _csrf: csrf, login, password: testPassword } });
    const page = await password.text();
    return { agent, auth, path: hosted.path, uid: hosted.uid, csrf, status: password.status, page, mfa: password.status === 200 ? mfaFieldOf(page) : '' };
  }
  const factorPost = (s: { agent: FormAgent; path: string }, form: Record<string, string>, init: { headers?: Record<string, string> } = {}) =>
    s.agent.send(`${s.path}/factor`, { form, ...init });
  const sessionsOf = async (userId: number) => (await app().core.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;

  it('a right password shows the second-factor page (no script for a TOTP-only account); the code finishes with amr pwd+otp+mfa', async () => {
    const account = await totpAccount(app());
    const s = await atFactorStep(account.user.username);
    expect(s.status).toBe(200);
    expect(s.page).toContain('Two-step verification');
    expect(s.page).toContain('Authenticator app code');
    expect(s.page).not.toContain('Use a passkey');
    // The page carries the token sealed, never the raw mfa_token.
    expect(s.mfa).toContain('.');
    const done = await factorPost(s, { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: account.code() });
    expect(done.status).toBe(303);
    const back = await s.agent.follow(done.headers.get('location')!, callback);
    expect(back.url.startsWith(callback)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(s.auth.config, new URL(back.url), { pkceCodeVerifier: s.auth.verifier, expectedState: s.auth.state });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(String(account.user.id));
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(typeof claims.auth_time).toBe('number');
    expect(await sessionsOf(account.user.id)).toBe(2); // the sign-up's, and this sign-in's
  });

  it('refuses missing, oversized and mistyped fields, JSON, no CSRF and another origin with a clear 4xx; nothing is spent', async () => {
    const account = await totpAccount(app());
    const s = await atFactorStep(account.user.username);
    const good = { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: '000000' };
    const { code: _code, ...noCode } = good;
    const { mfa_token: _token, ...noToken } = good;
    for (const form of [noCode, noToken, { ...noCode, extra: 'x' }, { ...good, code: '1'.repeat(65) }, { ...good, mfa_token: 'x'.repeat(513) }, { ...good, factor: 'passkey' }, { ...good, factor: 'sms' }]) {
      const res = await factorPost(s, form);
      expect([Object.keys(form).join(), res.status]).toEqual([Object.keys(form).join(), 400]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    const json = await s.agent.send(`${s.path}/factor`, { body: JSON.stringify(good), headers: { 'content-type': 'application/json', origin: issuer } });
    expect(json.status).toBe(415);
    const { _csrf, ...noCsrf } = good;
    expect((await factorPost(s, noCsrf)).status).toBe(403);
    expect((await factorPost(s, { ...good, _csrf: 'forged' })).status).toBe(403);
    expect((await factorPost(s, good, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    const switchBad = await s.agent.send(`${s.path}/factor/switch`, { form: { _csrf: s.csrf, mfa_token: s.mfa, factor: 'email' } });
    expect(switchBad.status).toBe(400);
    const passkeyJunk = await s.agent.send(`${s.path}/factor/passkey`, { form: { _csrf: s.csrf, mfa_token: s.mfa, response: '{not json' } });
    expect(passkeyJunk.status).toBe(400);
    expect(await passkeyJunk.text()).toContain('not JSON');
    const passkeyArray = await s.agent.send(`${s.path}/factor/passkey`, { form: { _csrf: s.csrf, mfa_token: s.mfa, response: '[]' } });
    expect(passkeyArray.status).toBe(400);
    // No passkey on this account: the options call is refused as problem JSON.
    const options = await s.agent.send(`${s.path}/factor/passkey/options`, { form: { _csrf: s.csrf, mfa_token: s.mfa } });
    expect(options.status).toBe(401);
    expect((await options.json()).type).toContain('mfa_token_invalid');
    const row = await app().core.db.selectFrom('users').select('failed_logins').where('id', '=', account.user.id).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(0);
    // Still usable; an unknown field is dropped, as everywhere in the API (http/schemas.ts body()).
    const done = await factorPost(s, { ...good, code: account.code(), remember: 'yes' });
    expect(done.status).toBe(303);
  });

  it('a wrong code shows the page again (and counts); switching to a recovery code finishes the sign-in', async () => {
    const account = await totpAccount(app());
    const s = await atFactorStep(account.user.username);
    const wrong = await factorPost(s, { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: '12345' });
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('That code is not right');
    expect(mfaFieldOf(again)).toBe(s.mfa);
    const row = await app().core.db.selectFrom('users').select('failed_logins').where('id', '=', account.user.id).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(1);
    const switched = await s.agent.send(`${s.path}/factor/switch`, { form: { _csrf: s.csrf, mfa_token: s.mfa, factor: 'recovery_code' } });
    expect(switched.status).toBe(200);
    expect(await switched.text()).toContain('Recovery code');
    const done = await factorPost(s, { _csrf: s.csrf, mfa_token: s.mfa, factor: 'recovery_code', code: account.recoveryCodes[0]! });
    expect(done.status).toBe(303);
    const back = await s.agent.follow(done.headers.get('location')!, callback);
    const tokens = await oidc.authorizationCodeGrant(s.auth.config, new URL(back.url), { pkceCodeVerifier: s.auth.verifier, expectedState: s.auth.state });
    expect(tokens.claims()!.amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('an expired or used mfa_token sends the person back to the password; a replayed code is refused', async () => {
    const account = await totpAccount(app());
    const expired = await atFactorStep(account.user.username);
    app().clock.advance(app().core.settings.get('mfa_token_ttl') + 1);
    const late = await factorPost(expired, { _csrf: expired.csrf, mfa_token: expired.mfa, factor: 'totp', code: account.code() });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('Sign in again');

    const used = await atFactorStep(account.user.username);
    const code = account.code();
    expect((await factorPost(used, { _csrf: used.csrf, mfa_token: used.mfa, factor: 'totp', code })).status).toBe(303);
    // The same post again, before the browser went back to the provider: the token is spent.
    const twice = await factorPost(used, { _csrf: used.csrf, mfa_token: used.mfa, factor: 'totp', code });
    expect(twice.status).toBe(401);
    expect(await twice.text()).toContain('Sign in again');

    // The same code in a new sign-in: its time step is spent.
    const replay = await atFactorStep(account.user.username);
    const refused = await factorPost(replay, { _csrf: replay.csrf, mfa_token: replay.mfa, factor: 'totp', code });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('That code is not right');
  });

  it('a post for an interaction this browser is not in is a 404 page', async () => {
    const account = await totpAccount(app());
    const s = await atFactorStep(account.user.username);
    const stranger = new FormAgent(issuer);
    const res = await stranger.send(`${s.path}/factor`, { form: { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: account.code() } });
    expect(res.status).toBe(404);
    const malformed = await s.agent.send('/oidc/interaction/%3Cx%3E/factor', { form: { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: account.code() } });
    expect(malformed.status).toBe(400);
  });

  it('attack: an mfa_token from one interaction does not finish another', async () => {
    const victim = await totpAccount(app());
    const one = await atFactorStep(victim.user.username);
    const two = await atFactorStep(victim.user.username);
    // Interaction two's form with interaction one's sealed token: refused, one's token is untouched.
    const crossed = await factorPost(two, { _csrf: two.csrf, mfa_token: one.mfa, factor: 'totp', code: victim.code() });
    expect(crossed.status).toBe(401);
    expect(await crossed.text()).toContain('Sign in again');
    // The raw mfa_token the native login hands out is no page's token either.
    const native = await app().request({ method: 'POST', url: '/v1/auth/login', payload: { login: victim.user.email, password: testPassword } });
    expect(native.json().mfa_token).toBeTruthy();
    const raw = await factorPost(two, { _csrf: two.csrf, mfa_token: native.json().mfa_token, factor: 'totp', code: victim.code() });
    expect(raw.status).toBe(401);
    expect(await sessionsOf(victim.user.id)).toBe(1); // the sign-up's own
    // Each interaction finishes with its own.
    expect((await factorPost(one, { _csrf: one.csrf, mfa_token: one.mfa, factor: 'totp', code: victim.code() })).status).toBe(303);
  });

  it('attack: a passkey assertion over another interaction\'s challenge does not finish this one; a replayed assertion is refused', async () => {
    const { user, access_token } = await app().signUp();
    const authenticator = new SoftAuthenticator(issuer);
    await addPasskey(app(), access_token, authenticator, 'Key');
    const one = await atFactorStep(user.username);
    const two = await atFactorStep(user.username);
    expect(one.page).toContain('Use a passkey');
    const optionsOf = async (s: typeof one) => {
      const res = await s.agent.send(`${s.path}/factor/passkey/options`, { form: { _csrf: s.csrf, mfa_token: s.mfa } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return (await res.json()) as { challenge: string; allowCredentials: unknown[] };
    };
    const passkeyPost = (s: typeof one, response: unknown) => s.agent.send(`${s.path}/factor/passkey`, { form: { _csrf: s.csrf, mfa_token: s.mfa, response: JSON.stringify(response) } });
    const forOne = await optionsOf(one);
    expect(forOne.allowCredentials).toHaveLength(1);
    // Signed over interaction one's challenge, sent in interaction two: refused, shown again.
    const crossed = await passkeyPost(two, authenticator.get(forOne));
    expect(crossed.status).toBe(401);
    expect(await crossed.text()).toContain('The passkey could not be verified');
    // Interaction one, with a fresh challenge of its own: signed in, with the passkey's amr.
    const good = authenticator.get(await optionsOf(one));
    const done = await passkeyPost(one, good);
    expect(done.status).toBe(303);
    // The same assertion again: its challenge and the mfa_token are spent.
    const replay = await passkeyPost(one, good);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('Sign in again');
    const back = await one.agent.follow(done.headers.get('location')!, callback);
    const tokens = await oidc.authorizationCodeGrant(one.auth.config, new URL(back.url), { pkceCodeVerifier: one.auth.verifier, expectedState: one.auth.state });
    expect(tokens.claims()!.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
  });

  it('attack: the password step alone does not finish the interaction of an MFA account', async () => {
    const victim = await totpAccount(app());
    const s = await atFactorStep(victim.user.username);
    expect(s.status).toBe(200);
    // Going on to the provider (the resume URL) without the second factor: back to a sign-in page, no code.
    const resumed = await s.agent.follow(`/oidc/auth/${s.uid}`, callback);
    expect(resumed.url.startsWith(callback)).toBe(false);
    const fresh = await s.agent.follow(s.auth.url.href, callback);
    expect(fresh.url.startsWith(callback)).toBe(false);
    expect(await fresh.response.text()).toContain('Sign in');
    // Junk in the token field does not finish it either.
    const junk = await factorPost(s, { _csrf: s.csrf, mfa_token: 'a.b.c', factor: 'totp', code: victim.code() });
    expect([401, 404]).toContain(junk.status);
    expect(await sessionsOf(victim.user.id)).toBe(1); // the sign-up's own
  });

  it('prompt=login asks for the second factor again even with a live provider session', async () => {
    const account = await totpAccount(app());
    const s = await atFactorStep(account.user.username);
    const done = await factorPost(s, { _csrf: s.csrf, mfa_token: s.mfa, factor: 'totp', code: account.code() });
    await s.agent.follow(done.headers.get('location')!, callback);
    const silent = await s.agent.follow((await authorization(issuer, d.clients.own!, callback)).url.href, callback);
    expect(silent.url.startsWith(callback)).toBe(true);
    app().clock.advance(30);
    const forced = await atFactorStep(account.user.username, s.agent, { prompt: 'login' });
    expect(forced.status).toBe(200);
    expect(forced.page).toContain('Two-step verification');
  });
});
