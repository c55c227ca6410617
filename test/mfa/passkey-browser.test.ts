import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { freePort, haveBrowser } from '../support/browser.js';
import { launchPasskeyBrowser, type PasskeyBrowser } from '../support/passkey-browser.js';

const shots = join(process.cwd(), 'test-output', 'passkeys');

/**
 * The hosted account page in real Chromium with its virtual authenticator (DevTools protocol
 * WebAuthn domain: CTAP2, internal transport, resident keys, user verification), on a real port at
 * http://localhost:<port>, so the RP ID (localhost) matches the page's host.
 */
describe.skipIf(!haveBrowser).each(backends)('passkeys on /account in Chromium on %s', (backend) => {
  let app: TestApp;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId = '';
  let base: string;
  let browser: PasskeyBrowser;
  let external: string[] = [];
  let pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(shots, `${backend}-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    await app.http.listen({ port, host: '127.0.0.1' });
    browser = await launchPasskeyBrowser((url) => url.href.startsWith(base));
    ({ page, cdp, authenticatorId, external, pageErrors } = browser);
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/account')) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const signInWithPassword = async (login: string) => {
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };
  const accountShown = () => page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
  };

  it('registers a passkey, signs in with it alone, is asked for more than the password, and removes it', async () => {
    const { user } = await app.signUp();
    const res = await page.goto(`${base}/account`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await shot('01-sign-in');

    // Password sign-in, then a passkey added from the page.
    await signInWithPassword(user.username);
    await accountShown();
    const addForm = page.locator('#add-passkey-form');
    await addForm.getByLabel('Passkey name').fill('Phone');
    await addForm.getByLabel('Your current password').fill(testPassword);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('Passkey “Phone” added');
    await expect.poll(() => page.locator('#passkey-list .item-title').allTextContents()).toEqual(['Phone']);
    await shot('02-passkey-added');
    const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: { isResidentCredential: boolean; rpId: string; signCount: number }[] };
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    await signOut();

    // Passwordless: no login name typed, the discoverable credential names the account.
    const passwordless = page.waitForResponse((r) => r.url().endsWith('/v1/auth/passkey') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    const session = await (await passwordless).json();
    await accountShown();
    expect(session.user.id).toBe(user.id);
    expect(decodeJwt(session.access_token).sub).toBe(String(user.id));
    await expect(page.locator('#who').textContent()).resolves.toContain(user.username);
    await signOut();

    // The passkey is now the account's second factor: a right password alone is not a session.
    // (The passkey as that second step: the next test.)
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login'));
    await signInWithPassword(user.username);
    const answer = await refused;
    expect(answer.ok() && !(await answer.json()).mfa_token).toBe(false);
    await expect(page.getByRole('heading', { name: 'Your account' }).isVisible()).resolves.toBe(false);
    await shot('03-second-factor-needed');
    await page.goto(`${base}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await accountShown();

    // Removal asks for the password again.
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.locator('#passkey-list').getByLabel('Your current password').fill(testPassword);
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('Passkey removed');
    await expect.poll(() => page.locator('#passkeys-empty').isVisible()).toBe(true);
    await shot('04-removed');
    expect(await app.store.db.selectFrom('passkeys').select('id').where('user_id', '=', user.id).execute()).toEqual([]);

    // Without a passkey the password alone signs in again.
    await signOut();
    await signInWithPassword(user.username);
    await accountShown();
    expect(external).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);

  it('finishes a password sign-in with the passkey as its second factor', async () => {
    const { user } = await app.signUp();
    await page.goto(`${base}/account`);
    await signInWithPassword(user.username);
    await accountShown();
    const addForm = page.locator('#add-passkey-form');
    await addForm.getByLabel('Passkey name').fill('Laptop');
    await addForm.getByLabel('Your current password').fill(testPassword);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.locator('#passkey-list .item-title').allTextContents()).toEqual(['Laptop']);
    await signOut();

    // The password answers mfa_required; the page's "Use a passkey" runs POST /v1/auth/mfa/passkey/options, the ceremony, POST /v1/auth/mfa/passkey.
    await signInWithPassword(user.username);
    await page.getByRole('heading', { name: 'One more step' }).waitFor({ state: 'visible' });
    await shot('05-second-factor-step');
    const finished = page.waitForResponse((r) => r.url().endsWith('/v1/auth/mfa/passkey') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const answer = await finished;
    expect(answer.status()).toBe(200);
    await accountShown();
    const session = await answer.json();
    expect(session.user.id).toBe(user.id);
    expect(decodeJwt(session.access_token).amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    await shot('06-signed-in-with-second-factor');
    expect(external).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);
});
