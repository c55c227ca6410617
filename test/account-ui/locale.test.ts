import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOidcClient } from '../../src/core/oidc-clients.js';
import { accountMessages, passkeyStepMessages } from '../../src/http/account/account-messages.js';
import { fr } from '../../src/i18n/fr.js';
import { formatDateTime, translateMessage } from '../../src/i18n/index.js';
import { mountOidc, oidcProviderOf } from '../../src/oidc/provider.js';
import { addPasskey } from '../mfa/passkey-support.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { chromiumPath, freePort, haveBrowser } from '../support/browser.js';
import { testPassword } from '../support/passwords.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const shots = join(process.cwd(), 'test-output', 'account-ui');
const day = 86_400;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();
/** A French date as the pages write it: "3 décembre 2026 à 18:40 UTC". */
const frenchDate = /\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4} à \d\d:\d\d UTC/;

describe('texts of the passkey step and of the second-factor deadline', () => {
  it('have French entries with the same placeholders', () => {
    const deadlines = accountMessages.filter((key) => key.includes('{{date}}'));
    expect(deadlines).toHaveLength(2);
    for (const key of [...passkeyStepMessages, ...deadlines]) {
      expect(fr[key], `no French for "${key}"`).toBeTruthy();
      expect(placeholders(fr[key]!), key).toEqual(placeholders(key));
    }
  });

  it('the past-the-grace refusal is translated with its date written per language, in UTC', () => {
    const message = 'This account must enrol a second factor (required since 2026-12-10T18:05:00.000Z). Sign in through an app that supports multi-factor authentication to enrol one.';
    expect(translateMessage('fr', message)).toBe('Ce compte doit enregistrer un second facteur (obligatoire depuis le 10 décembre 2026 à 18:05 UTC). Connectez-vous depuis une application qui prend en charge l’authentification à plusieurs facteurs pour en enregistrer un.');
    expect(translateMessage('en', message)).toBe('This account must enrol a second factor (required since December 10, 2026 at 06:05 PM UTC). Sign in through an app that supports multi-factor authentication to enrol one.');
    // Late in the day in UTC is the same day whatever the server's zone.
    expect(formatDateTime('fr', new Date('2026-01-31T23:59:00Z'))).toBe('31 janvier 2026 à 23:59 UTC');
  });
});

/**
 * The account page and the hosted second-factor step in real Chromium, whose Accept-Language is
 * English: after sign-in the account page takes on the account's stored language (users.locale);
 * the "Use a passkey" step and the "require a second factor" deadline speak the page's language.
 */
describe.skipIf(!haveBrowser).each(backends)('pages in the account\'s language, in Chromium on %s', (backend) => {
  let app: TestApp;
  let base: string;
  let rpServer: Server;
  let redirectUri: string;
  let client: { id: string; secret: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    rpServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('relying party'));
    await new Promise<void>((resolve) => rpServer.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(rpServer.address() as AddressInfo).port}/cb`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    if (!oidcProviderOf(app.http)) await mountOidc(app.http, app.core);
    await app.http.listen({ port, host: '127.0.0.1' });
    const made = await createOidcClient(app.core, { name: 'Locale App', redirect_uris: [redirectUri], grant_types: ['authorization_code'], scopes: ['openid', 'email'], first_party: true });
    client = { id: made.client.client_id, secret: made.clientSecret! };
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--host-resolver-rules=MAP localhost 127.0.0.1'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => rpServer?.close(resolve));
  });

  /** A fresh English browser (Accept-Language: en-US) with a virtual authenticator that holds no passkey. */
  async function englishBrowser(init?: () => void) {
    await context?.close();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    await context.route((u) => !u.href.startsWith(base) && !u.href.startsWith(redirectUri.slice(0, -3)), (route) => route.abort());
    if (init) await context.addInitScript(init);
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  }

  afterEach(async () => {
    await app.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: 7 * day }, null);
    expect(pageErrors).toEqual([]);
  });

  /** An account whose stored language is `locale` (PATCH /v1/me). */
  async function accountIn(locale: string | null) {
    const session = await app.signUp();
    const res = await app.request({ method: 'PATCH', url: '/v1/me', token: session.access_token, payload: { locale } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().locale).toBe(locale);
    return session as { access_token: string; user: { id: number; username: string } };
  }

  const notice = () => page.locator('#notice').textContent();
  async function signIn(login: string, labels = { login: 'Username or email', password: 'Password', submit: 'Sign in' }) {
    await page.getByLabel(labels.login).fill(login);
    await page.getByLabel(labels.password, { exact: true }).fill(testPassword);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login'));
    await page.getByRole('button', { name: labels.submit, exact: true }).click();
    return (await answer).json() as Promise<Record<string, unknown>>;
  }

  /**
   * Every static text of the page people read (headings, labels, buttons, paragraphs, placeholders) in document order,
   * of the live page and of the page fetched in `lang`: script text run in the page, so nothing the test runner
   * compiles is sent to the browser.
   */
  const texts = `(root) => [...root.querySelectorAll('main h1, main h2, main h3, main label, main button, main p:not(#who):not(#notice):not(#totp-status), main span, main strong')]
      .filter((e) => !e.closest('noscript')).map((e) => e.textContent)
      .concat([...root.querySelectorAll('[placeholder]')].map((e) => e.getAttribute('placeholder')))`;
  const liveTexts = () => page.evaluate(`(${texts})(document)`);
  const servedTexts = (lang: string) => page.evaluate(`fetch('/account?lang=${lang}').then((r) => r.text()).then((m) => (${texts})(new DOMParser().parseFromString(m, 'text/html')))`);

  it('an account stored in French signs in from an English browser: the page turns French, all of it, and back for an English account', async () => {
    await englishBrowser();
    const french = await accountIn('fr');
    const english = await accountIn('en');
    await page.goto(`${base}/account`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });

    const login = await signIn(french.user.username);
    expect((login.user as { locale: string }).locale).toBe('fr');
    await page.getByRole('heading', { name: 'Votre compte' }).waitFor({ state: 'visible' });
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.title()).toMatch(/^Votre compte · /);
    expect(await page.locator('#who').textContent()).toBe(`Connecté en tant que ${french.user.username}`);
    await expect.poll(() => page.locator('#totp-status').textContent()).toBe('Aucune application d’authentification n’est configurée.');
    expect(await page.getByPlaceholder('p. ex. Ordinateur du bureau').count()).toBe(1);
    // The same texts as the page served in French, none left in English.
    const switched = await liveTexts();
    expect(switched).toEqual(await servedTexts('fr'));
    expect(switched).toContain('Ajouter une clé d’accès');
    await page.screenshot({ path: join(shots, `${backend}-01-french-account.png`), fullPage: true });

    // The script's own messages come from the French catalogue too.
    await page.locator('#totp-password').fill('not the password');
    await page.getByRole('button', { name: 'Configurer une application d’authentification' }).click();
    await expect.poll(notice).toBe('Mot de passe erroné.');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(notice).toBe('Vous êtes déconnecté.');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor({ state: 'visible' });

    // The next account's stored language wins again: English.
    await signIn(english.user.username, { login: 'Nom d’utilisateur ou e-mail', password: 'Mot de passe', submit: 'Se connecter' });
    await page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#who').textContent()).toBe(`Signed in as ${english.user.username}`);
    expect(await liveTexts()).toEqual(await servedTexts('en'));
  });

  it('an account with no stored language keeps the browser\'s', async () => {
    await englishBrowser();
    const none = await accountIn(null);
    await page.goto(`${base}/account`);
    await signIn(none.user.username);
    await page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('within the enrolment grace, the account page says by when, in French with a French date', async () => {
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: 3 * day }, null);
    await englishBrowser();
    const french = await accountIn('fr');
    await page.goto(`${base}/account`);
    const login = await signIn(french.user.username);
    const by = new Date(login.mfa_enrolment_required_by as string);
    expect(by.getTime()).toBeGreaterThan(app.clock.now());
    await page.getByRole('heading', { name: 'Votre compte' }).waitFor({ state: 'visible' });
    const text = await notice();
    expect(text).toBe(`Ajoutez un second facteur (une clé d’accès ou une application d’authentification) avant le ${formatDateTime('fr', by)} : ensuite, votre mot de passe seul ne suffira plus pour vous connecter.`);
    expect(text).toMatch(frenchDate);
    await page.screenshot({ path: join(shots, `${backend}-02-grace.png`), fullPage: true });
  });

  it('past the grace, the refusal on the account page (French by ?lang=) and on the OIDC sign-in (ui_locales=fr) is French with a French date', async () => {
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: 0 }, null);
    await englishBrowser();
    const french = await accountIn('fr');
    await page.goto(`${base}/account?lang=fr`);
    const refusal = await signIn(french.user.username, { login: 'Nom d’utilisateur ou e-mail', password: 'Mot de passe', submit: 'Se connecter' });
    expect(refusal.code).toBe('mfa_enrolment_required');
    const since = new Date(refusal.mfa_enrolment_required_by as string);
    await expect.poll(notice).toBe(`Ce compte doit avoir un second facteur depuis le ${formatDateTime('fr', since)}, et son mot de passe seul ne suffit plus pour le connecter.`);
    expect(await notice()).toMatch(frenchDate);

    await page.goto((await authorizationUrl({ ui_locales: 'fr' })).href);
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill(french.user.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Ce compte doit enregistrer un second facteur (obligatoire depuis le ');
    expect(await alert.textContent()).toContain(`(obligatoire depuis le ${formatDateTime('fr', since)}).`);
    expect(await alert.textContent()).not.toMatch(/\d{4}-\d\d-\d\dT/);
    await page.screenshot({ path: join(shots, `${backend}-03-overdue-oidc.png`), fullPage: true });
  });

  async function authorizationUrl(extra: Record<string, string>) {
    const config = await oidc.discovery(new URL(base), client.id, client.secret, undefined, { execute: [oidc.allowInsecureRequests] });
    return oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: oidc.randomState(), ...extra });
  }

  /** A passkey-only account (its passkey in a software authenticator, not this browser's) on the French OIDC second-factor page. */
  async function frenchPasskeyStep() {
    const { user, access_token } = await app.signUp();
    await addPasskey(app, access_token, new SoftAuthenticator(base), 'Elsewhere');
    await page.goto((await authorizationUrl({ ui_locales: 'fr' })).href);
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill(user.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.getByRole('heading', { name: 'Vérification en deux étapes' }).waitFor();
  }
  const stepError = () => page.locator('[data-passkey-error]').textContent();

  it('the "Use a passkey" step speaks French: a passkey this browser lacks, and a step that has expired', async () => {
    await englishBrowser();
    await frenchPasskeyStep();
    // This browser's authenticator has no credential the server allows: the ceremony is refused.
    await page.getByRole('button', { name: 'Utiliser une clé d’accès' }).click();
    await expect.poll(stepError).toBe('La demande de clé d’accès a été fermée ou a expiré.');
    await page.screenshot({ path: join(shots, `${backend}-04-passkey-step.png`), fullPage: true });
    // The sign-in's cookies gone: the options URL refuses, and the refusal is shown in French.
    await context.clearCookies();
    await page.getByRole('button', { name: 'Utiliser une clé d’accès' }).click();
    await expect.poll(stepError).toBe('Cette connexion a expiré ou est déjà terminée. Retournez dans l’application et recommencez.');
  });

  it('the "Use a passkey" step in a browser without WebAuthn says so in French', async () => {
    await englishBrowser(() => {
      Object.defineProperty(window, 'PublicKeyCredential', { value: undefined, configurable: true });
    });
    await frenchPasskeyStep();
    await expect.poll(stepError).toBe('Ce navigateur ne peut pas utiliser de clé d’accès ici. Utilisez plutôt un code.');
  });
});
