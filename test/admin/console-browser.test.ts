import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { activateUser } from '../../src/core/recovery/index.js';
import { createSuperuser } from '../../src/core/superuser.js';
import { backends } from '../support/backends.js';
import { testApp, type TestApp } from '../support/app.js';
import { password } from './support.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';

const shots = join(process.cwd(), 'test-output', 'admin');
// CI installs chromium (.ci/run); there a missing browser is a failure, not a skip.
const meta = { ip: '127.0.0.1', userAgent: 'test setup' };
/** The authenticator app's side: a real TOTP computation. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });
/** The widths every page must work at: a desktop and a 390 px phone. */
const widths = [
  { name: 'wide', width: 1280, height: 900 },
  { name: 'narrow', width: 390, height: 844 },
] as const;

// Skipped only on a machine without Debian's chromium; in CI haveBrowser is always true, so a missing browser fails there.
describe.skipIf(!haveBrowser).each(backends)('web console in a real browser (chromium) on %s', (backend) => {
  let app: TestApp;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let profileDir: string;
  let pendingId: number;

  const operatorToken = async () => (await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 'operator', password } })).json().access_token as string;
  const shot = async (name: string) => {
    await page.screenshot({ path: join(shots, `${backend}-${name}.png`), fullPage: true });
  };
  /** What scrolls sideways on this page (none: []), with the elements sticking out past the viewport. */
  const overflow = async (label: string): Promise<string[]> => {
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    if (scroll <= client) return [];
    const culprits = await page.evaluate((w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1).slice(0, 8).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).join(' | '), client);
    return [`${label}: scrollWidth ${scroll}px > clientWidth ${client}px`, culprits];
  };
  /** The page's main button or link is shown, enabled and wholly inside the viewport's width (none: []). */
  const actionUnusable = async (label: string, name: string): Promise<string[]> => {
    const action = page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).first();
    if (!(await action.isVisible()) || !(await action.isEnabled())) return [`${label}: “${name}” not visible or not enabled`];
    const box = await action.boundingBox();
    const client = await page.evaluate(() => document.documentElement.clientWidth);
    return box && box.x >= 0 && box.x + box.width <= client + 1 ? [] : [`${label}: “${name}” outside the viewport (${JSON.stringify(box)}, width ${client})`];
  };
  /** An active staff account (sign-ups here wait for an administrator). */
  const staffMember = async (username: string): Promise<number> => {
    const { user } = await app.signUp({ username, email: `${username}@example.com`, password });
    await activateUser(app.core, user.id, null, meta);
    await app.core.db.updateTable('users').set({ is_staff: 1 }).where('id', '=', user.id).execute();
    await app.core.users.invalidate(user.id);
    return user.id;
  };
  const signIn = async (login: string) => {
    await page.goto(`${base}/admin/login`);
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // Sign-ups wait for an administrator, so there is someone to activate.
    app = await testApp(backend, { GATEHOUSE_ACTIVATION: 'admin' });
    await createSuperuser(app.core, { username: 'operator', email: 'operator@example.com', password });
    for (const [username, first_name, last_name] of [['grace', 'Grace', 'Hopper'], ['alan', 'Alan', 'Turing'], ['ada', 'Ada', 'Lovelace'], ['edsger', 'Edsger', 'Dijkstra']]) {
      const { user } = await app.signUp({ username, email: `${username}@example.com`, first_name, last_name, password });
      if (username === 'ada') pendingId = user.id;
      else {
        await activateUser(app.core, user.id, null, meta);
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
    await expect(page.locator('.stat', { hasText: 'Database' }).locator('.stat-value').textContent()).resolves.toBe(backend === 'sqlite' ? 'SQLite' : 'PostgreSQL');
    await shot('13-system');

    // A staff member with an authenticator app, so the user page shows its second-factor card with the reset button.
    const mfaUserId = await staffMember('totpcard');
    const { secret } = await startTotpEnrolment(app.core, mfaUserId, { current_password: password }, meta);
    await confirmTotpEnrolment(app.core, mfaUserId, { code: codeAt(secret, app.clock.now()) }, meta);

    const mailId = (await app.request({ method: 'GET', url: '/v1/admin/mail', token: await operatorToken() })).json().items[0].id;
    // Each page, and the button or link it is for (where it has one).
    const pages: [path: string, action?: string][] = [
      ['/admin'], ['/admin/users'], ['/admin/users/new'], [`/admin/users/${pendingId}`], ['/admin/users/invite', 'Send invitation'],
      [`/admin/users/${mfaUserId}`, 'Reset second factors'], ['/admin/audit'], ['/admin/mail'], [`/admin/mail/${mailId}`], ['/admin/system'],
      ['/admin/settings', 'Save settings'], ['/admin/webhooks', 'Add endpoint'], ['/admin/oidc-clients', 'Register client'],
      ['/admin/service-keys', 'Create service key'], ['/admin/users/999999'],
    ];
    const overflowing: string[] = [];
    for (const { name, width, height } of widths) {
      await page.setViewportSize({ width, height });
      for (const [path, action] of pages) {
        await page.goto(`${base}${path}`);
        overflowing.push(...(await overflow(`${name} ${path}`)));
        if (action) overflowing.push(...(await actionUnusable(`${name} ${path}`, action)));
        if (path === `/admin/users/${mfaUserId}`) await expect(page.getByRole('heading', { name: 'Second factors' }).isVisible()).resolves.toBe(true);
        await shot(`${name}${path.replace(/\//g, '-')}`);
      }
    }
    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    overflowing.push(...(await overflow('narrow /admin/login')));
    await shot('narrow-admin-login');
    await page.setViewportSize({ width: 1366, height: 900 });
    expect(overflowing).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('at 390 px the invite form sends; the second-factor and "enrol first" sign-in pages fit both widths', async () => {
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    const problems: string[] = [];

    // Invite user, on a phone: the form submits and the user page confirms it.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn('operator');
    await page.waitForURL(`${base}/admin`);
    await page.goto(`${base}/admin/users/invite`);
    await page.getByLabel('Email').fill('katherine@example.com');
    await page.getByLabel('First name').fill('Katherine');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.waitForURL(/\/admin\/users\/\d+\?notice=invited$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Invitation sent');
    expect(await app.core.users.get(Number(new URL(page.url()).pathname.split('/').pop()))).toMatchObject({ email: 'katherine@example.com' });
    problems.push(...(await overflow('narrow invited user page')));
    await shot('narrow-admin-users-invite-sent');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);

    // Two-step verification: a staff member with an authenticator app; at 390 px the code is typed and signs in.
    const staffId = await staffMember('totpstaff');
    const { secret } = await startTotpEnrolment(app.core, staffId, { current_password: password }, meta);
    await confirmTotpEnrolment(app.core, staffId, { code: codeAt(secret, app.clock.now()) }, meta);
    for (const { name, width, height } of widths) {
      // The enrolment (or the last width's sign-in) spent this step's code.
      app.clock.advance(90);
      await page.setViewportSize({ width, height });
      await signIn('totpstaff');
      await page.waitForURL(`${base}/admin/login/factor`);
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor({ state: 'visible' });
      problems.push(...(await overflow(`${name} /admin/login/factor`)), ...(await actionUnusable(`${name} /admin/login/factor`, 'Verify')));
      await shot(`${name}-admin-login-factor`);
      await page.getByLabel(/Code from your authenticator app/).fill(codeAt(secret, app.clock.now()));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${base}/admin`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/admin\/login/);
    }

    // "Add a second factor first": staff must have one, the grace is over, this one has none.
    await staffMember('nofactor');
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: 0 }, null);
    try {
      for (const { name, width, height } of widths) {
        await page.setViewportSize({ width, height });
        await signIn('nofactor');
        await page.getByRole('heading', { name: 'Add a second factor first' }).waitFor({ state: 'visible' });
        problems.push(...(await overflow(`${name} enrol first`)), ...(await actionUnusable(`${name} enrol first`, 'Go to your account page')));
        await shot(`${name}-admin-login-enrol-first`);
      }
      await page.getByRole('link', { name: 'Go to your account page' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/account');
    } finally {
      await app.core.settings.update({ mfa_required_staff: false, mfa_enrolment_grace: 7 * 86_400 }, null);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('in French: the language form switches a staff member to French, and the pages fit both widths with their longer words', async () => {
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    const problems: string[] = [];
    const lang = () => page.evaluate(() => document.documentElement.lang);
    // A superuser, so the user pages show every form and flag (the longest French).
    const francoise = await staffMember('francoise');
    await app.core.db.updateTable('users').set({ is_superuser: 1 }).where('id', '=', francoise).execute();
    await app.core.users.invalidate(francoise);
    await page.setViewportSize({ width: 1366, height: 900 });
    await signIn('francoise');
    await page.waitForURL(`${base}/admin`);
    // The sidebar's form, without any script of its own: choose, submit, back on the same page in French.
    await page.goto(`${base}/admin/users?q=lovelace`);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Change language' }).click();
    await page.waitForURL(`${base}/admin/users?q=lovelace`);
    await expect(lang()).resolves.toBe('fr');
    await expect(page.getByRole('heading', { name: 'Utilisateurs' }).isVisible()).resolves.toBe(true);
    expect((await app.core.users.get(francoise))?.locale).toBe('fr');
    // console.js counts the selection in the page's words.
    await page.goto(`${base}/admin/users`);
    const count = page.locator('[data-bulk-count]');
    await expect(count.textContent()).resolves.toBe('Sélectionnez des utilisateurs pour agir sur eux');
    await page.locator('input[name="ids"]').first().check();
    await expect(count.textContent()).resolves.toBe('1 sélectionné');
    await page.locator('input[name="ids"]').nth(1).check();
    await expect(count.textContent()).resolves.toBe('2 sélectionnés');

    const mfaUserId = await staffMember('totpfr');
    const { secret } = await startTotpEnrolment(app.core, mfaUserId, { current_password: password }, meta);
    await confirmTotpEnrolment(app.core, mfaUserId, { code: codeAt(secret, app.clock.now()) }, meta);
    const pages: [path: string, action?: string][] = [
      ['/admin'], ['/admin/users'], ['/admin/users/new', 'Créer l’utilisateur'], [`/admin/users/${pendingId}`], ['/admin/users/invite', 'Envoyer l’invitation'],
      [`/admin/users/${mfaUserId}`, 'Réinitialiser les seconds facteurs'], ['/admin/users/999999'],
    ];
    for (const { name, width, height } of widths) {
      await page.setViewportSize({ width, height });
      for (const [path, action] of pages) {
        await page.goto(`${base}${path}`);
        if ((await lang()) !== 'fr') problems.push(`${name} ${path}: lang ${await lang()}`);
        problems.push(...(await overflow(`fr ${name} ${path}`)));
        if (action) problems.push(...(await actionUnusable(`fr ${name} ${path}`, action)));
        await shot(`fr-${name}${path.replace(/\//g, '-')}`);
      }
    }
    await page.goto(`${base}/admin`);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/admin\/login/);

    // Signed out, a French browser: the sign-in and two-step pages in French, at both widths.
    await page.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
    try {
      for (const { name, width, height } of widths) {
        app.clock.advance(90);
        await page.setViewportSize({ width, height });
        await page.goto(`${base}/admin/login`);
        if ((await lang()) !== 'fr') problems.push(`${name} /admin/login: lang ${await lang()}`);
        problems.push(...(await overflow(`fr ${name} /admin/login`)), ...(await actionUnusable(`fr ${name} /admin/login`, 'Se connecter')));
        await shot(`fr-${name}-admin-login`);
        await page.getByLabel('Nom d’utilisateur ou e-mail').fill('totpfr');
        await page.getByLabel('Mot de passe').fill(password);
        await page.getByRole('button', { name: 'Se connecter' }).click();
        await page.waitForURL(`${base}/admin/login/factor`);
        await page.getByRole('heading', { name: 'Vérification en deux étapes' }).waitFor({ state: 'visible' });
        if ((await lang()) !== 'fr') problems.push(`${name} /admin/login/factor: lang ${await lang()}`);
        problems.push(...(await overflow(`fr ${name} /admin/login/factor`)), ...(await actionUnusable(`fr ${name} /admin/login/factor`, 'Vérifier')));
        await shot(`fr-${name}-admin-login-factor`);
        await page.getByLabel(/Code de votre application d’authentification/).fill(codeAt(secret, app.clock.now()));
        await page.getByRole('button', { name: 'Vérifier' }).click();
        await page.waitForURL(`${base}/admin`);
        await page.getByRole('button', { name: 'Se déconnecter' }).click();
        await page.waitForURL(/\/admin\/login/);
      }
    } finally {
      await page.setExtraHTTPHeaders({});
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
