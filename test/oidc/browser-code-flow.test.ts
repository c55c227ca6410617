import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { backends } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';
import { startBrowser, startDeployment, startRelyingParty, type Browser, type Deployment } from './browser-harness.js';
import { haveBrowser } from '../support/browser.js';

const shots = join(process.cwd(), 'test-output', 'oidc');
const rpServer = await startRelyingParty();
const rp = rpServer.origin;
const redirectUri = `${rp}/cb`;
const postLogout = `${rp}/signed-out`;
afterAll(() => rpServer.close());

const clients = [
  { key: 'first', name: 'First App', redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogout], first_party: true },
  { key: 'third', name: 'Third App', redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogout] },
];

describe.skipIf(!haveBrowser).each(backends)('hosted sign-in with openid-client and Chromium, two instances behind one URL (%s)', (backend) => {
  let d: Deployment;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    d = await startDeployment(backend, 2, clients);
    browser = await startBrowser([d.url, rp]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  async function codeFlow(key: string, fill: () => Promise<void>) {
    const config = await oidc.discovery(new URL(d.url), d.clients[key]!.id, d.clients[key]!.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid email offline_access', prompt: 'consent', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const page = browser.page;
    await page.goto(url.href);
    await fill();
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
    return { config, tokens };
  }

  it('signs in through the hosted page: code + PKCE, refresh, userinfo, introspection, revocation, RP-initiated logout', async () => {
    const user = (await d.instances[0]!.app.signUp({ username: 'olivia', email: 'olivia@example.com' })).user;
    const page = browser.page;
    const { config, tokens } = await codeFlow('first', async () => {
      await page.waitForURL(/\/oidc\/interaction\//);
      await page.getByLabel('Username or email').fill('olivia');
      await page.getByLabel('Password').fill(testPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
    });
    // Round-robin: the flow's requests were served by both instances.
    if (d.instances.length > 1) expect(new Set(d.proxy.served.filter((s) => s.path.startsWith('/oidc/')).map((s) => s.instance)).size).toBe(2);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(String(user.id));
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, claims.sub);
    expect(info.sub).toBe(String(user.id));
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(true);
    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);

    const sessions = await d.instances[0]!.app.core.db.selectFrom('sessions').select(['id', 'revoked_at']).where('user_id', '=', user.id).execute();
    expect(sessions.filter((s) => s.revoked_at === null).length).toBe(2);

    await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogout }).href);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.href.startsWith(postLogout));
    const after = await d.instances[0]!.app.core.db.selectFrom('sessions').select(['id', 'revoked_at']).where('user_id', '=', user.id).execute();
    expect(after.filter((s) => s.revoked_at === null).length).toBe(1);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toThrow();
  });

  it('is readable at 390 px: nothing overflows sideways, and the page loads nothing from elsewhere', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 390, height: 844 });
    const external: string[] = [];
    const problems: string[] = [];
    narrow.on('request', (r) => {
      if (!r.url().startsWith(d.url)) external.push(r.url());
    });
    narrow.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const config = await oidc.discovery(new URL(d.url), d.clients.third!.id, d.clients.third!.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    await narrow.goto(url.href);
    await narrow.waitForURL(/\/oidc\/interaction\//);
    await narrow.getByLabel('Password').waitFor();
    await narrow.screenshot({ path: join(shots, 'sign-in-390.png'), fullPage: true });
    const widths = await narrow.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.client).toBe(390);
    // The stylesheet applied (the console's card), so the page is not a bare unstyled form.
    expect(await narrow.locator('.bare-card').evaluate((el) => getComputedStyle(el).borderRadius)).not.toBe('0px');
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await narrow.close();
  });
});
