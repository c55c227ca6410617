import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fr } from '../../src/i18n/fr.js';
import { accountMessages } from '../../src/http/account/account-messages.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';

const shots = join(process.cwd(), 'test-output', 'i18n');

/** The JSON data block the page embeds for its script. */
const catalogueOf = (markup: string): Record<string, string> => {
  const m = /<script type="application\/json" id="i18n">([^<]*)<\/script>/.exec(markup);
  expect(m, 'no #i18n block').not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, string>;
};

describe('the account page catalogue', () => {
  it('has French for every text the script shows', () => {
    expect(accountMessages.filter((key) => !fr[key])).toEqual([]);
  });
});

describe.each(backends)('the account page in French on %s', (backend) => {
  let app: TestApp;
  let base: string;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('speaks French to a browser that asks for it (fr-CA, q-values), with its script catalogue in French', async () => {
    const res = await get('/account', { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')?.toLowerCase()).toContain('accept-language');
    const markup = await res.text();
    expect(markup).toContain('<html lang="fr">');
    expect(markup).toContain('<title>Votre compte · ');
    expect(markup).toContain('<h1 id="sign-in-title">Se connecter</h1>');
    expect(markup).toContain('<h2 id="passkeys-title">Clés d’accès</h2>');
    expect(markup).toContain('<label for="login">Nom d’utilisateur ou e-mail</label>');
    expect(markup).not.toContain('>Sign in<');
    const catalogue = catalogueOf(markup);
    expect(catalogue['Unable to log in with the provided credentials']).toBe('Impossible de se connecter avec ces identifiants');
    expect(catalogue['Signed in as {{name}}']).toBe('Connecté en tant que {{name}}');
    expect(Object.keys(catalogue).sort()).toEqual([...new Set(accountMessages)].sort());
    // The CSP still allows no inline script: the block is data, never run.
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|'sha256-|'nonce-/);
  });

  it('?lang=fr chooses French even when the header says English', async () => {
    const markup = await (await get('/account?lang=fr', { 'accept-language': 'en' })).text();
    expect(markup).toContain('<html lang="fr">');
  });

  it('is English by default, for English, and for a language not shipped, with an empty catalogue', async () => {
    for (const headers of [{}, { 'accept-language': 'en-GB' }, { 'accept-language': 'de-DE,*;q=0.1' }] as Record<string, string>[]) {
      const markup = await (await get('/account', headers)).text();
      expect(markup).toContain('<html lang="en">');
      expect(markup).toContain('<h1 id="sign-in-title">Sign in</h1>');
      expect(catalogueOf(markup)).toEqual({});
    }
  });

  it('an oversized or odd Accept-Language is ignored, not an error', async () => {
    for (const value of ['fr;q=x', 'x'.repeat(600), ';;,,', '*']) {
      const res = await get('/account', { 'accept-language': value });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<html lang="(en|fr)">/);
    }
    expect(await (await get('/account', { 'accept-language': 'x'.repeat(600) })).text()).toContain('<html lang="en">');
  });

  it('the script assets keep their content-hashed URLs whatever the language', async () => {
    const urls = (markup: string) => [...markup.matchAll(/(?:src|href)="(\/account\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const en = urls(await (await get('/account')).text());
    const french = urls(await (await get('/account', { 'accept-language': 'fr' })).text());
    expect(en.length).toBeGreaterThan(3);
    expect(french).toEqual(en);
    for (const url of en) expect((await get(url!.replace(/&amp;/g, '&'))).status).toBe(200);
  });
});

/** The page's script in real Chromium with a French browser: what it shows after an action is French too. */
describe.skipIf(!haveBrowser).each(backends)('the account page in a French Chromium on %s', (backend) => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await testApp(backend);
    await relaxRateLimits(app);
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    await context.route((url) => !url.href.startsWith(base) && url.protocol !== 'data:', (route) => route.abort());
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const notice = () => page.locator('#notice').textContent();

  it('a wrong password, signing in, the account card and signing out are all in French', async () => {
    const { user } = await app.signUp();
    await page.goto(`${base}/account`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor({ state: 'visible' });

    await page.getByLabel('Nom d’utilisateur ou e-mail').fill(user.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await expect.poll(notice).toBe('Impossible de se connecter avec ces identifiants');
    await page.screenshot({ path: join(shots, `${backend}-01-wrong-password.png`), fullPage: true });

    await page.getByLabel('Mot de passe', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.getByRole('heading', { name: 'Votre compte' }).waitFor({ state: 'visible' });
    expect(await page.locator('#who').textContent()).toBe(`Connecté en tant que ${user.username}`);
    await expect.poll(() => page.locator('#totp-status').textContent()).toBe('Aucune application d’authentification n’est configurée.');

    // A wrong current password, answered by the API in English, is shown in French.
    await page.locator('#totp-password').fill('not the password');
    await page.getByRole('button', { name: 'Configurer une application d’authentification' }).click();
    await expect.poll(notice).toBe('Mot de passe erroné.');
    await page.screenshot({ path: join(shots, `${backend}-02-account.png`), fullPage: true });

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(notice).toBe('Vous êtes déconnecté.');
    expect(pageErrors).toEqual([]);
  });
});
