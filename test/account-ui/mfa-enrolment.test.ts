import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeAt } from '../mfa/totp-support.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { freePort, haveBrowser } from '../support/browser.js';
import { launchPasskeyBrowser, type PasskeyBrowser } from '../support/passkey-browser.js';
import { testPassword } from '../support/passwords.js';

const shots = join(process.cwd(), 'test-output', 'account-ui');
const day = 86_400;

/**
 * Issue 13/16: past the grace of "require a second factor", a password login on /account is refused
 * with an enrolment-only token. The page turns that into an "add a second factor" step (an
 * authenticator app, or a passkey), then the person signs in again with the new factor.
 */
describe.skipIf(!haveBrowser).each(backends)('adding a required second factor on /account in Chromium on %s', (backend) => {
  let app: TestApp;
  let base: string;
  let browser: PasskeyBrowser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    app = await testApp(backend, { GATEHOUSE_PUBLIC_URL: base });
    await relaxRateLimits(app);
    await app.http.listen({ port, host: '127.0.0.1' });
    browser = await launchPasskeyBrowser((url) => url.href.startsWith(base) || url.protocol === 'data:');
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await app?.core.settings.update({ mfa_required_everyone: false, mfa_enrolment_grace: 7 * day }, null);
    await browser?.close();
    await app?.close();
  });

  afterEach(() => {
    expect(browser.external).toEqual([]);
    expect(browser.pageErrors, browser.pageErrors.join('\n')).toEqual([]);
  });

  const notice = () => page.locator('#notice').textContent();
  const shot = (name: string) => page.screenshot({ path: join(shots, `${backend}-enrol-${name}.png`), fullPage: true });
  const signIn = async (login: string) => {
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/auth/login'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return (await answer).json() as Promise<Record<string, unknown>>;
  };
  const accountShown = () => page.getByRole('heading', { name: 'Your account' }).waitFor({ state: 'visible' });
  /** An account past its grace: the requirement on, its grace started by a first login, then run out. */
  async function overdueAccount() {
    await app.core.settings.update({ mfa_required_everyone: true, mfa_enrolment_grace: day }, null);
    const { user } = await app.signUp();
    expect((await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: user.username, password: testPassword } })).statusCode).toBe(200);
    app.clock.advance(day + 60);
    return user as { id: number; username: string };
  }
  /** Nothing of the sign-in is kept where it outlives the page's memory. */
  const storedAnything = () => page.evaluate('JSON.stringify([localStorage.length, sessionStorage.length, document.cookie])');

  it('an overdue account adds an authenticator app, keeps its recovery codes, then signs in with password and code', async () => {
    const user = await overdueAccount();
    await page.goto(`${base}/account`);
    const refusal = await signIn(user.username);
    expect(refusal.code).toBe('mfa_enrolment_required');
    expect(refusal.enrolment_token).toMatch(/^ghe_/);

    // The enrol step, not the dead end: the refusal is explained, and the password field is empty.
    await page.getByRole('heading', { name: 'Add a second factor' }).waitFor({ state: 'visible' });
    expect(await notice()).toMatch(/^This account needs a second factor since .+ UTC, and its password alone no longer signs it in\.$/);
    expect(await page.locator('#step-sign-in').isVisible()).toBe(false);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Add a passkey' }).isVisible()).toBe(true);
    await shot('01-step');

    // The app: the page sends the password just typed (POST /v1/me/mfa/totp with the enrolment token).
    const started = page.waitForRequest((r) => r.url().endsWith('/v1/me/mfa/totp') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const sent = await started;
    expect(sent.headers().authorization).toBe(`Bearer ${refusal.enrolment_token as string}`);
    expect(sent.postDataJSON()).toEqual({ current_password: testPassword });
    const qr = page.locator('#enrol-totp-qr img');
    await qr.waitFor({ state: 'visible' });
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = (await page.locator('#enrol-totp-secret').textContent())!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot('02-scan');

    // A wrong code is shown and the step stays; the right one ends it with ten recovery codes, shown once.
    await page.getByRole('textbox', { name: 'Code from the app' }).fill(codeAt(secret, app.clock.now() + 300_000));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(notice).toBe('Wrong code.');
    await page.getByRole('textbox', { name: 'Code from the app' }).fill(codeAt(secret, app.clock.now()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(notice).toBe('Done — sign in again with your new factor.');
    const codes = await page.locator('#enrol-recovery-code-list li').allTextContents();
    expect(codes).toHaveLength(10);
    expect(await page.locator('#enrol-totp').isVisible()).toBe(false);
    expect(await storedAnything()).toBe('[0,0,""]');
    await shot('03-recovery-codes');

    // Back to the sign-in form; the codes leave the page. Password, then a fresh code: "Your account".
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
    expect(await notice()).toBe('Done — sign in again with your new factor.');
    expect(await page.locator('#enrol-recovery-code-list li').count()).toBe(0);
    expect(await page.locator('#enrol-totp-secret').textContent()).toBe('');
    app.clock.advance(30);
    const second = await signIn(user.username);
    expect(second.mfa_token).toBeTruthy();
    await page.getByRole('heading', { name: 'One more step' }).waitFor({ state: 'visible' });
    await page.locator('#code').fill(codeAt(secret, app.clock.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await accountShown();
    await expect.poll(() => page.locator('#totp-status').textContent()).toContain('Recovery codes left: 10');
    expect(await page.locator('#step-enrol').isVisible()).toBe(false);
    await shot('04-account');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
  }, 120_000);

  it('an overdue account adds a passkey instead, and signs in with it; "Start over" forgets the step', async () => {
    const user = await overdueAccount();
    await page.goto(`${base}/account`);
    await signIn(user.username);
    await page.getByRole('heading', { name: 'Add a second factor' }).waitFor({ state: 'visible' });
    // Starting over returns to the sign-in form, with nothing of the step left.
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
    expect(await page.locator('#step-enrol').isVisible()).toBe(false);

    expect((await signIn(user.username)).code).toBe('mfa_enrolment_required');
    await page.getByRole('heading', { name: 'Add a second factor' }).waitFor({ state: 'visible' });
    await page.getByRole('textbox', { name: 'Passkey name' }).fill('Required key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(notice).toBe('Done — sign in again with your new factor.');
    expect(await page.locator('#enrol-recovery-codes').isVisible()).toBe(false);
    const rows = await app.store.db.selectFrom('passkeys').select('name').where('user_id', '=', user.id).execute();
    expect(rows.map((r) => r.name)).toEqual(['Required key']);
    await shot('05-passkey-added');

    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
    expect((await signIn(user.username)).mfa_token).toBeTruthy();
    await page.getByRole('heading', { name: 'One more step' }).waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await accountShown();
    await expect.poll(() => page.locator('#passkey-list li').count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'visible' });
  }, 120_000);

  it('an enrolment token that expired on the way is explained, and the step can be started over', async () => {
    const user = await overdueAccount();
    await page.goto(`${base}/account?lang=fr`);
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill(user.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.getByRole('heading', { name: 'Ajoutez un second facteur' }).waitFor({ state: 'visible' });
    app.clock.advance(15 * 60 + 1);
    await page.getByRole('button', { name: 'Configurer une application d’authentification' }).click();
    await expect.poll(notice).toBe('Le jeton d’enregistrement est invalide ou a expiré ; reconnectez-vous.');
    expect(await page.locator('#enrol-totp').isVisible()).toBe(false);
    await shot('06-expired-fr');
    await page.getByRole('button', { name: 'Recommencer' }).click();
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor({ state: 'visible' });
  }, 120_000);
});
