import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { password, person } from './support.js';
import { chromiumPath, freePort, haveBrowser } from '../support/browser.js';

const shots = join(process.cwd(), 'test-output', 'admin');

/**
 * The console's "Use a passkey" button in real Chromium with the DevTools virtual authenticator
 * (the harness of test/mfa/passkey-browser.test.ts), on http://localhost:<port> so the RP ID matches.
 */
describe.skipIf(!haveBrowser).each(backends)('console passkey second step in Chromium on %s', (backend) => {
  let app: TestApp;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let base: string;
  let profileDir: string;
  const external: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    await app.http.listen({ port, host: '127.0.0.1' });
    profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP localhost 127.0.0.1'],
      viewport: { width: 390, height: 844 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && (path.startsWith('/account/assets') || path.endsWith('.js'))) pageErrors.push(`${r.status()} ${r.url()}`);
    });
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
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
