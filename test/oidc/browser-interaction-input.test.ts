import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';
import { authorization, csrfOf, FormAgent, openHostedPage, startDeployment, type Deployment } from './browser-harness.js';

const callback = 'http://127.0.0.1:9/cb';
const clients = [
  { key: 'own', name: 'Own App', redirect_uris: [callback], first_party: true },
  { key: 'other', name: 'Other <App>', redirect_uris: [callback] },
];

describe.each(backends)('hosted interaction routes: bad input, attacks, consent (%s)', (backend) => {
  let d: Deployment;
  let issuer: string;

  beforeAll(async () => {
    d = await startDeployment(backend, 1, clients);
    issuer = d.url;
    await d.instances[0]!.app.signUp({ username: 'ivy', email: 'ivy@example.com' });
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  const begin = async (key = 'own', extra: Record<string, string> = {}) => {
    const agent = new FormAgent(issuer);
    const auth = await authorization(issuer, d.clients[key]!, callback, extra);
    const hosted = await openHostedPage(agent, auth.url, callback);
    return { agent, auth, ...hosted, csrf: csrfOf(hosted.page) };
  };

  it('serves the sign-in page with a strict CSP, the relying party allowed only as a form redirect target', async () => {
    const agent = new FormAgent(issuer);
    const auth = await authorization(issuer, d.clients.own!, callback);
    const step = await agent.follow(auth.url.href, callback);
    expect(step.response.status).toBe(200);
    const csp = step.response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:9");
    expect(step.response.headers.get('cache-control')).toBe('no-store');
    const page = await step.response.text();
    expect(page).toContain('Forgot your password?');
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });

  it('unknown uid, no interaction cookie, a malformed uid and another interaction\'s uid are refused as pages', async () => {
    const stranger = new FormAgent(issuer);
    const unknown = await stranger.send('/oidc/interaction/doesnotexist123');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await unknown.text()).toContain('This sign-in has expired or was already finished');
    const malformed = await stranger.send('/oidc/interaction/%3Cscript%3E');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toContain('<script>');
    const { agent, uid } = await begin();
    const other = await agent.send(`/oidc/interaction/${uid.slice(0, -1)}${uid.endsWith('A') ? 'B' : 'A'}`);
    expect(other.status).toBe(404);
    // Someone else's browser, with the right uid but without the interaction cookie.
    expect((await stranger.send(`/oidc/interaction/${uid}`)).status).toBe(404);
  });

  it('refuses a sign-in post without the CSRF token, with another interaction\'s token, or from another origin (CSRF attack)', async () => {
    const one = await begin();
    const two = await begin();
    const form = { login: 'ivy', password: testPassword };
    const missing = await one.agent.send(`${one.path}/login`, { form });
    expect(missing.status).toBe(403);
    const crossed = await one.agent.send(`${one.path}/login`, { form: { ...form, _csrf: two.csrf } });
    expect(crossed.status).toBe(403);
    const foreign = await one.agent.send(`${one.path}/login`, { form: { ...form, _csrf: one.csrf }, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    // Still usable: nothing was spent.
    const ok = await one.agent.send(`${one.path}/login`, { form: { ...form, _csrf: one.csrf } });
    expect(ok.status).toBe(303);
  });

  it('refuses JSON, oversized fields and junk with a clear 4xx page', async () => {
    const { agent, path, csrf } = await begin();
    const json = await agent.send(`${path}/login`, { body: JSON.stringify({ _csrf: csrf, login: 'ivy', password: testPassword }), headers: { 'content-type': 'application/json', origin: issuer } });
    expect(json.status).toBe(415);
    const longLogin = await agent.send(`${path}/login`, { form: { _csrf: csrf, login: 'x'.repeat(255), password: 'p' } });
    expect(longLogin.status).toBe(400);
    expect(await longLogin.text()).toContain('no more than 254 characters');
    const longPassword = await agent.send(`${path}/login`, { form: { _csrf: csrf, login: 'ivy', password: 'p'.repeat(4097) } });
    expect(longPassword.status).toBe(400);
    const nul = await agent.send(`${path}/login`, { form: { _csrf: csrf, login: 'iv\u0000y', password: testPassword } });
    expect(nul.status).toBe(401);
    const decision = await agent.send(`${path}/consent`, { form: { _csrf: csrf, decision: 'maybe' } });
    expect(decision.status).toBe(400);
  });

  it('answers unknown, wrong-password and look-alike logins alike (no account enumeration)', async () => {
    const { agent, path, csrf } = await begin();
    const answers = [];
    for (const login of ['nobody-here', 'ivy', 'ＩＶＹ']) {
      const res = await agent.send(`${path}/login`, { form: { _csrf: csrf, login, password: 'wrong-password-123' } });
      const text = (await res.text()).replace(/value="[^"]*"/g, '');
      answers.push({ status: res.status, text });
    }
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401]));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0]!.text).toContain('Unable to log in with the provided credentials');
  });

  it('a finished interaction cannot be replayed', async () => {
    const { agent, path, csrf } = await begin();
    const first = await agent.send(`${path}/login`, { form: { _csrf: csrf, login: 'ivy', password: testPassword } });
    expect(first.status).toBe(303);
    // Resume consumes the interaction; the same post again finds nothing.
    await agent.follow(first.headers.get('location')!, callback);
    const again = await agent.send(`${path}/login`, { form: { _csrf: csrf, login: 'ivy', password: testPassword } });
    expect(again.status).toBe(404);
  });

  it('a third-party client gets a consent page; deny returns access_denied, allow records the granted scopes', async () => {
    const denied = await begin('other', { prompt: 'consent' });
    const signedIn = await denied.agent.follow(`${denied.path}/login`, callback, { form: { _csrf: denied.csrf, login: 'ivy', password: testPassword } });
    const consentPage = await signedIn.response.text();
    expect(consentPage).toContain('Allow access?');
    expect(consentPage).toContain('Other &lt;App&gt;');
    expect(consentPage).toContain('Stay signed in when you are not using it');
    const consentPath = new URL(signedIn.url).pathname;
    const no = await denied.agent.follow(`${consentPath}/consent`, callback, { form: { _csrf: csrfOf(consentPage), decision: 'deny' } });
    expect(new URL(no.url).searchParams.get('error')).toBe('access_denied');

    // Same browser, already signed in: straight to consent, then allow.
    const auth = await authorization(issuer, d.clients.other!, callback, { prompt: 'consent' });
    const again = await openHostedPage(denied.agent, auth.url, callback);
    expect(again.page).toContain('Allow access?');
    const yes = await denied.agent.follow(`${again.path}/consent`, callback, { form: { _csrf: csrfOf(again.page), decision: 'allow' } });
    expect(yes.url.startsWith(callback)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(auth.config, new URL(yes.url), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    expect(tokens.scope?.split(' ').sort()).toEqual(['offline_access', 'openid']);

    // The grant stands: the next authorization asks nothing.
    const third = await authorization(issuer, d.clients.other!, callback);
    const silent = await denied.agent.follow(third.url.href, callback);
    expect(silent.url.startsWith(callback)).toBe(true);
  });
});
