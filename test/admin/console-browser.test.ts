import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateUser } from '../../src/core/recovery/index.js';
import { createSuperuser } from '../../src/core/superuser.js';
import { testApp, type TestApp } from '../support/app.js';
import { password } from './support.js';

const chromiumPath = '/usr/bin/chromium';
const shots = join(process.cwd(), 'test-output', 'admin');
// CI installs chromium (.ci/run); there a missing browser is a failure, not a skip.
const haveBrowser = existsSync(chromiumPath) || process.env.CI === 'true';

describe.skipIf(!haveBrowser)('web console in a real browser (chromium)', () => {
  let app: TestApp;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let profileDir: string;
  let pendingId: number;

  const operatorToken = async () => (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'operator', password } })).json().access_token as string;
  const shot = async (name: string) => {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // Sign-ups wait for an administrator, so there is someone to activate.
    app = await testApp('sqlite', { GATEHOUSE_ACTIVATION: 'admin' });
    await createSuperuser(app.core, { username: 'operator', email: 'operator@example.com', password });
    for (const [username, first_name, last_name] of [['grace', 'Grace', 'Hopper'], ['alan', 'Alan', 'Turing'], ['ada', 'Ada', 'Lovelace'], ['edsger', 'Edsger', 'Dijkstra']]) {
      const { user } = await app.signUp({ username, email: `${username}@example.com`, first_name, last_name, password });
      if (username === 'ada') pendingId = user.id;
      else {
        await activateUser(app.core, user.id, null, { ip: '127.0.0.1', userAgent: 'test setup' });
        await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: username, password } });
      }
    }
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    profileDir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1366, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // The console must not reach for anything off this server.
    await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('signs in, finds and activates a user, changes the access-token lifetime, sees it audited, signs out', async () => {
    const external: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    // Script errors and CSP violations; the settings page's deliberate 400 is not one.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 400/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(`${base}/admin/users`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/login');
    await shot('01-sign-in');
    await page.getByLabel('Username or email').fill('operator');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin/users`);

    await page.goto(`${base}/admin`);
    await expect(page.getByRole('heading', { name: 'Overview' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.stat', { hasText: 'Pending activation' }).locator('.stat-value').textContent()).resolves.toBe('1');
    await shot('02-overview');

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Search').fill('lovelace');
    await page.getByRole('button', { name: 'Apply' }).first().click();
    await page.waitForURL(/q=lovelace/);
    const rows = page.locator('table.data tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await shot('03-users-search');
    await page.getByRole('link', { name: 'ada', exact: true }).click();
    await page.waitForURL(`${base}/admin/users/${pendingId}`);
    await shot('04-user-detail-pending');
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('User activated');
    expect((await app.core.users.get(pendingId))?.approved).toBe(true);
    await shot('05-user-activated');

    await page.getByRole('link', { name: 'Settings' }).click();
    const ttl = page.getByLabel('Access-token lifetime', { exact: true });
    await expect(ttl.inputValue()).resolves.toBe('5 min');
    await ttl.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Nothing was saved');
    await shot('06-settings-invalid');
    await page.getByLabel('Access-token lifetime', { exact: true }).fill('2 min');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Settings saved');
    await expect(page.getByLabel('Access-token lifetime', { exact: true }).inputValue()).resolves.toBe('2 min');
    await shot('07-settings-saved');
    // The next token issued uses the new lifetime.
    const login = (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'ada', password } })).json();
    const claims = decodeJwt(login.access_token);
    expect(claims.exp! - claims.iat!).toBe(120);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Event').fill('admin.setting_changed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/kind=admin.setting_changed/);
    const entry = page.locator('table.data tbody tr').first();
    await expect(entry.textContent()).resolves.toMatch(/access_token_ttl\s*300\s*→\s*120/);
    await expect(entry.textContent()).resolves.toContain('operator');
    await shot('08-audit-log');

    await page.getByRole('link', { name: 'Mail outbox' }).click();
    await expect(page.locator('table.data tbody tr', { hasText: 'ada@example.com' }).filter({ hasText: 'account_activated' }).count()).resolves.toBe(1);
    await shot('09-mail-outbox');
    await page.locator('table.data tbody tr', { hasText: 'ada@example.com' }).getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'Delivery' }).isVisible()).resolves.toBe(true);
    await shot('09b-mail-detail');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/admin/users`);
    await shot('10-users-narrow');
    await page.goto(`${base}/admin/users/${pendingId}`);
    await shot('11-user-detail-narrow');
    await page.setViewportSize({ width: 1366, height: 900 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('signed out');
    await shot('12-signed-out');
    await page.goto(`${base}/admin`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/login');

    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('shows the System page, and every page fits a 390 px wide phone without scrolling sideways', async () => {
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${base}/admin/login`);
    await page.getByLabel('Username or email').fill('operator');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin`);
    await page.getByRole('link', { name: 'System', exact: true }).click();
    await page.waitForURL(`${base}/admin/system`);
    await expect(page.getByRole('heading', { name: 'Signing keys' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.stat', { hasText: 'Database' }).locator('.stat-value').textContent()).resolves.toBe('SQLite');
    await shot('13-system');

    const mailId = (await app.request({ method: 'GET', url: '/v1/admin/mail', token: await operatorToken() })).json().items[0].id;
    const pages = ['/admin', '/admin/users', '/admin/users/new', `/admin/users/${pendingId}`, '/admin/audit', '/admin/mail', `/admin/mail/${mailId}`, '/admin/system', '/admin/settings', '/admin/service-keys', '/admin/users/999999'];
    await page.setViewportSize({ width: 390, height: 844 });
    const overflowing: string[] = [];
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) overflowing.push(`${path}: ${width}px`, await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 8).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).join(' | ')));
      await shot(`narrow${path.replace(/\//g, '-')}`);
    }
    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    const signIn = await page.evaluate(() => document.documentElement.scrollWidth);
    if (signIn > 390) overflowing.push(`/admin/login: ${signIn}px`);
    await shot('narrow-admin-login');
    await page.setViewportSize({ width: 1366, height: 900 });
    expect(overflowing).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
