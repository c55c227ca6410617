import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { password, person } from './support.js';
import { freePort, haveBrowser } from '../support/browser.js';
import { launchPasskeyBrowser, type PasskeyBrowser } from '../support/passkey-browser.js';

const shots = join(process.cwd(), 'test-output', 'admin');

/**
 * The console's "Use a passkey" button in real Chromium with the DevTools virtual authenticator
 * (test/support/passkey-browser.ts), on http://localhost:<port> so the RP ID matches.
 */
describe.skipIf(!haveBrowser).each(backends)('console passkey second step in Chromium on %s', (backend) => {
  let app: TestApp;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let browser: PasskeyBrowser;
  let external: string[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    await app.http.listen({ port, host: '127.0.0.1' });
    browser = await launchPasskeyBrowser((url) => url.href.startsWith(base));
    ({ context, page, external, pageErrors } = browser);
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && (path.startsWith('/account/assets') || path.endsWith('.js'))) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a staff member with a passkey signs in to the console with password, then "Use a passkey"', async () => {
    const staff = await person(app, 'staff');

    // The passkey is added on the account page, in this browser's authenticator.
    await page.goto(`${base}/account`);
    await page.getByLabel('Username or email').fill(staff.username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
    const addForm = page.locator('#add-passkey-form');
    await addForm.getByLabel('Passkey name').fill('Laptop');
    await addForm.getByLabel('Your current password').fill(password);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toContain('Passkey “Laptop” added');

    // Console: the password is right, so the second step; the button runs the ceremony.
    await page.goto(`${base}/admin/login`);
    await page.getByLabel('Username or email').fill(staff.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor({ state: 'visible' });
    expect(new URL(page.url()).pathname).toBe('/admin/login/factor');
    const cookies = await context.cookies(base);
    expect(cookies.find((c) => c.name === 'gatehouse_console')).toBeUndefined();
    expect(cookies.find((c) => c.name === 'gatehouse_console_mfa')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const button = page.getByRole('button', { name: 'Use a passkey' });
    await button.waitFor({ state: 'visible' });
    await page.screenshot({ path: join(shots, `${backend}-console-passkey-step.png`), fullPage: true });
    await button.click();
    await page.waitForURL(`${base}/admin`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
    const after = await context.cookies(base);
    expect(after.find((c) => c.name === 'gatehouse_console')).toBeTruthy();
    expect(after.find((c) => c.name === 'gatehouse_console_mfa')).toBeUndefined();

    const row = await app.store.db.selectFrom('audit_events').select('detail').where('user_id', '=', staff.id).where('kind', '=', 'console.signed_in').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const amr = JSON.parse(row.detail as unknown as string).amr as string[];
    expect(amr[0]).toBe('pwd');
    expect(amr).toContain('mfa');
    expect(amr.some((m) => m === 'hwk' || m === 'swk')).toBe(true);
    expect(external).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);
});
