import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { codeAt } from './totp-support.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';

const shots = join(process.cwd(), 'test-output', 'totp');

/** The "Authenticator app" card of the hosted account page in real Chromium: enrol, sign in with it, new codes, remove. */
describe.skipIf(!haveBrowser).each(backends)('the authenticator app on /account in Chromium on %s', (backend) => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const external: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await testApp(backend);
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    await context.route((url) => !url.href.startsWith(base) && url.protocol !== 'data:', (route) => route.abort());
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${backend}-${name}.png`), fullPage: true });
  const notice = () => page.locator('#notice').textContent();
  const status = () => page.locator('#totp-status').textContent();
  const accountShown = () => page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
  const signIn = async (login: string) => {
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
  };
  const secondStep = async (code: string) => {
    await page.getByRole('heading', { name: 'One more step' }).waitFor({ state: 'visible' });
    await page.locator('#code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await accountShown();
  };
  const shownCodes = () => page.locator('#recovery-code-list li').allTextContents();

  it('enrols an app from its QR code, signs in with a code and a recovery code, replaces the codes and removes the app', async () => {
    const { user } = await app.signUp();
    await page.goto(`${base}/account`);
    await signIn(user.username);
    await accountShown();
    await expect.poll(status).toBe('No authenticator app is set up.');

    await page.locator('#totp-password').fill(testPassword);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = page.locator('#totp-qr img');
    await qr.waitFor({ state: 'visible' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = (await page.locator('#totp-secret').textContent())!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot('01-scan');

    await page.locator('#totp-code').fill(codeAt(secret, app.clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(notice).toContain('The authenticator app is set up.');
    await expect.poll(shownCodes).toHaveLength(10);
    const codes = await shownCodes();
    await expect.poll(status).toContain('Recovery codes left: 10');
    expect(await page.locator('#totp-start-form').isVisible()).toBe(false);
    await shot('02-recovery-codes');

    // Signing in again asks for the app's code.
    await signOut();
    expect(await page.locator('#recovery-codes').isVisible()).toBe(false);
    app.clock.advance(30);
    await signIn(user.username);
    await secondStep(codeAt(secret, app.clock.now()));
    // … or a recovery code, typed as written down.
    await signOut();
    await signIn(user.username);
    await secondStep(codes[0]!);
    await expect.poll(status).toContain('Recovery codes left: 9');

    await page.locator('#recovery-password').fill(testPassword);
    await page.getByRole('button', { name: 'Get new recovery codes' }).click();
    await expect.poll(notice).toContain('New recovery codes issued');
    await expect.poll(async () => (await shownCodes()).filter((c) => codes.includes(c))).toEqual([]);
    await expect.poll(status).toContain('Recovery codes left: 10');

    // Removal asks for the password and a code; a wrong code is shown and changes nothing.
    app.clock.advance(30);
    await page.locator('#totp-remove-password').fill(testPassword);
    await page.locator('#totp-remove-code').fill(codeAt(secret, app.clock.now() + 120_000));
    await page.getByRole('button', { name: 'Remove the authenticator app' }).click();
    await expect.poll(notice).toBe('Wrong code.');
    await page.locator('#totp-remove-code').fill(codeAt(secret, app.clock.now()));
    await page.getByRole('button', { name: 'Remove the authenticator app' }).click();
    await expect.poll(notice).toContain('The authenticator app was removed.');
    await expect.poll(status).toBe('No authenticator app is set up.');
    expect(await page.locator('#totp-start-form').isVisible()).toBe(true);

    await signOut();
    await signIn(user.username);
    await accountShown();
    expect(external).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);
});
