import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcClient } from '../../src/core/oidc-clients.js';
import { mountOidc, oidcProviderOf } from '../../src/oidc/provider.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';
import { startRelyingParty } from './browser-harness.js';
import { totpAccount } from './mfa-support.js';
import { freePort, haveBrowser } from '../support/browser.js';
import { launchPasskeyBrowser, type PasskeyBrowser } from '../support/passkey-browser.js';

const shots = join(process.cwd(), 'test-output', 'oidc');

/**
 * The hosted second-factor step in real Chromium with openid-client as the relying party. The
 * issuer is http://localhost:<port> (WebAuthn needs a host name, not an IP, for its RP ID), and
 * Chromium's virtual authenticator (DevTools WebAuthn domain) is the passkey.
 */
describe.skipIf(!haveBrowser).each(backends)('hosted sign-in with a second factor, openid-client and Chromium (%s)', (backend) => {
  let app: TestApp;
  let base: string;
  let rp: string;
  let rpServer: Awaited<ReturnType<typeof startRelyingParty>>;
  let redirectUri: string;
  let client: { id: string; secret: string };
  let context: BrowserContext;
  let page: Page;
  let browser: PasskeyBrowser;
  let external: string[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    rpServer = await startRelyingParty();
    rp = rpServer.origin;
    redirectUri = `${rp}/cb`;
    base = `http://localhost:${port}`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    if (!oidcProviderOf(app.http)) await mountOidc(app.http, app.core);
    await app.http.listen({ port, host: '127.0.0.1' });
    const made = await createOidcClient(app.core, { name: 'MFA App', redirect_uris: [redirectUri], grant_types: ['authorization_code'], scopes: ['openid', 'email'], first_party: true });
    client = { id: made.client.client_id, secret: made.clientSecret! };

    browser = await launchPasskeyBrowser((u) => u.origin === base || u.origin === rp);
    ({ context, page, external, pageErrors } = browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await rpServer?.close();
  });

  /** Starts an authorization in the browser, signs in with the password, and stops on the second-factor page. */
  async function toSecondFactor(login: string, extra: Record<string, string> = {}) {
    const config = await oidc.discovery(new URL(base), client.id, client.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, ...extra });
    await page.goto(url.href);
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password').fill(testPassword);
    const answer = page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const csp = (await answer).headers()['content-security-policy'];
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    // The redirect to the relying party, once the browser has loaded it (the code is in its URL), so the next
    // page.goto never races a navigation still in flight.
    const callback = page.waitForURL((u) => u.href.startsWith(redirectUri), { timeout: 60_000 });
    return {
      csp,
      async tokens() {
        await callback;
        return oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      },
    };
  }

  it('an authenticator-app account: a wrong code shows the page again, the right one signs in with amr pwd+otp+mfa and auth_time', async () => {
    const account = await totpAccount(app);
    const flow = await toSecondFactor(account.user.username);
    await page.screenshot({ path: join(shots, `${backend}-second-factor-390.png`), fullPage: true });
    await expect(page.getByRole('button', { name: 'Use a passkey' }).count()).resolves.toBe(0);
    expect(flow.csp).toContain("script-src 'none'");
    await page.getByLabel('Authenticator app code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That code is not right');
    const before = Math.floor(Date.now() / 1000);
    await page.getByLabel('Authenticator app code').fill(account.code());
    await page.getByRole('button', { name: 'Verify' }).click();
    const tokens = await flow.tokens();
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(String(account.user.id));
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.auth_time).toBeGreaterThanOrEqual(before - 1);

    // max_age=0: the live provider session is too old, so the password and the second factor are asked again.
    app.clock.advance(30);
    const again = await toSecondFactor(account.user.username, { max_age: '0' });
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(account.recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    const second = (await again.tokens()).claims()!;
    expect(second.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(second.auth_time).toBeGreaterThanOrEqual(claims.auth_time!);
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a passkey account: "Use a passkey" runs the ceremony and signs in with the passkey\'s amr', async () => {
    const { user, access_token } = await app.signUp();
    // A fresh browser session: the first test's provider session would sign straight in.
    await context.clearCookies();
    // The passkey is registered in this browser through the account page's own script (the virtual authenticator keeps it).
    await page.goto(`${base}/account`);
    const added = await page.evaluate(async ([token, password]) => {
      const w = window as unknown as { GatehousePasskeys: { add(t: string, p: string, n: string): Promise<{ id: string }> } };
      return w.GatehousePasskeys.add(token!, password!, 'Laptop');
    }, [access_token, testPassword]);
    expect(added.id).toBeTruthy();

    const flow = await toSecondFactor(user.username);
    // Same-origin scripts only (the account page's WebAuthn bundle and the step's own), nothing inline.
    expect(flow.csp).toContain("script-src 'self'");
    expect(flow.csp).not.toContain('unsafe-inline');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const claims = (await flow.tokens()).claims()!;
    expect(claims.sub).toBe(String(user.id));
    expect(claims.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
