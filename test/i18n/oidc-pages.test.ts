import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fr } from '../../src/i18n/fr.js';
import { factorLabels, scopeWords } from '../../src/oidc/interactions/pages.js';
import { relaxRateLimits } from '../support/app.js';
import { backends } from '../support/backends.js';
import { testPassword } from '../support/passwords.js';
import { authorization, csrfOf, FormAgent, openHostedPage, startDeployment, type Deployment } from '../oidc/browser-harness.js';
import { mfaFieldOf, totpAccount } from '../oidc/mfa-support.js';

const pageSources = [
  'src/oidc/interactions/pages.ts',
  'src/oidc/interactions/sign-in-routes.ts',
  'src/oidc/interactions/consent-routes.ts',
  'src/oidc/interactions/factor-routes.ts',
  'src/oidc/interactions/hosted-context.ts',
  'src/oidc/logout-pages.ts',
];

/** The msgids the hosted pages translate: every literal given to `t(...)` or `translateHtml(t, ...)`, and the label tables they pass through `t`. */
function hostedMsgids(): string[] {
  const literal = /\b(?:t\(|translateHtml\(t,)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  const found = new Set<string>([...Object.values(factorLabels), ...Object.values(scopeWords)]);
  for (const file of pageSources) {
    for (const m of readFileSync(file, 'utf8').matchAll(literal)) found.add((m[1] ?? m[2]!).replace(/\\(.)/g, '$1'));
  }
  return [...found];
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the OpenID Connect hosted pages in French', () => {
  it('every text the pages translate has a French entry with the same placeholders', () => {
    const msgids = hostedMsgids();
    // The scan sees the calls (a rename of `t` or a new helper would make it find nothing).
    expect(msgids.length).toBeGreaterThan(40);
    expect(msgids).toContain('Forgot your password?');
    expect(msgids).toContain('{{client}} asks to sign you out.');
    for (const msgid of msgids) {
      expect(fr[msgid], `no French for "${msgid}"`).toBeTruthy();
      expect(placeholders(fr[msgid]!), msgid).toEqual(placeholders(msgid));
    }
  });
});

const callback = 'http://127.0.0.1:9/cb';
const clients = [
  { key: 'own', name: 'Own App', redirect_uris: [callback], first_party: true },
  { key: 'third', name: 'Partner App', redirect_uris: [callback] },
];

describe.each(backends)('hosted OpenID Connect pages per language (%s)', (backend) => {
  let d: Deployment;
  const app = () => d.instances[0]!.app;

  beforeAll(async () => {
    d = await startDeployment(backend, 1, clients);
    await relaxRateLimits(app());
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  /** A new authorization for `client` (extra authorization parameters), stopped on its sign-in page; the page fetched again with `headers` when given. */
  async function signInPage(extra: Record<string, string> = {}, headers?: Record<string, string>, client = 'own') {
    const agent = new FormAgent(d.url);
    const hosted = await openHostedPage(agent, (await authorization(d.url, d.clients[client]!, callback, extra)).url, callback);
    const page = headers ? await (await agent.send(hosted.path, { headers })).text() : hosted.page;
    return { agent, path: hosted.path, page, csrf: csrfOf(page) };
  }
  const login = (s: { agent: FormAgent; path: string; csrf: string }, login: string, password: string, headers: Record<string, string> = {}) =>
    s.agent.send(`${s.path}/login`, { form: { _csrf: s.csrf, login, password }, headers });

  it('speaks English by default, and to a browser that asks for a language not shipped', async () => {
    for (const headers of [undefined, { 'accept-language': 'de-DE,de;q=0.9' }]) {
      const { page } = await signInPage({}, headers);
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<h1>Sign in</h1>');
      expect(page).toContain('Forgot your password?');
      expect(page).toContain('to continue to Own App');
    }
  });

  it('Accept-Language: fr gives the French sign-in page, and its refusal in French', async () => {
    const fr = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' };
    const s = await signInPage({}, fr);
    expect(s.page).toContain('<html lang="fr">');
    expect(s.page).toContain('<h1>Se connecter</h1>');
    expect(s.page).toContain('Mot de passe oublié ?');
    expect(s.page).toContain('pour continuer vers Own App');
    expect(s.page).not.toContain('Forgot your password?');
    const { user } = await app().signUp();
    const wrong = await login(s, user.username, 'not the password 1', fr);
    expect(wrong.status).toBe(401);
    const body = await wrong.text();
    expect(body).toContain('<html lang="fr">');
    expect(body).toContain('Impossible de se connecter avec ces identifiants');
    // The same refusal in English for a browser that does not ask for French.
    expect(await (await login(s, user.username, 'not the password 1')).text()).toContain('Unable to log in with the provided credentials');
  });

  it('ui_locales of the authorization request comes first: French without any header, and over Accept-Language', async () => {
    expect((await signInPage({ ui_locales: 'fr' })).page).toContain('<html lang="fr">');
    // The first shipped tag of the list wins (de is not shipped; fr-CA is French).
    expect((await signInPage({ ui_locales: 'de fr-CA en' })).page).toContain('<h1>Se connecter</h1>');
    const english = await signInPage({ ui_locales: 'en' }, { 'accept-language': 'fr' });
    expect(english.page).toContain('<html lang="en">');
    expect(english.page).toContain('<h1>Sign in</h1>');
    const french = await signInPage({ ui_locales: 'fr' }, { 'accept-language': 'en' });
    expect(french.page).toContain('<h1>Se connecter</h1>');
    // Nothing shipped in ui_locales: the browser's language decides.
    expect((await signInPage({ ui_locales: 'de it' }, { 'accept-language': 'fr' })).page).toContain('<html lang="fr">');
  });

  it('the forgot-password pages and an error page follow ui_locales', async () => {
    const s = await signInPage({ ui_locales: 'fr' });
    const forgot = await (await s.agent.send(`${s.path}/forgot`)).text();
    expect(forgot).toContain('<html lang="fr">');
    expect(forgot).toContain('<h1>Mot de passe oublié ?</h1>');
    expect(forgot).toContain('Envoyer le lien');
    const bad = await s.agent.send(`${s.path}/forgot`, { form: { _csrf: s.csrf, email: 'not an address' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Saisissez une adresse e-mail valide.');
    const sent = await (await s.agent.send(`${s.path}/forgot`, { form: { _csrf: s.csrf, email: `nobody_${backend}@example.com` } })).text();
    expect(sent).toContain('Consultez vos e-mails');
    expect(sent).toContain('Retour à la connexion');
    // A forged form token: the error page is in the interaction's language, title and text.
    const forged = await s.agent.send(`${s.path}/login`, { form: { _csrf: 'forged', login: 'x', password: 'y' } });
    expect(forged.status).toBe(403);
    const page = await forged.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Vous n’avez pas la permission d’effectuer cette action');
    expect(page).toContain('Le formulaire a expiré ou ne vient pas de cette page.');
    // No interaction at all (no cookie): Accept-Language alone decides.
    const gone = await fetch(new URL(`${s.path}`, d.url), { headers: { 'accept-language': 'fr' } });
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('Cette connexion a expiré ou est déjà terminée.');
  });

  it('the second-factor step is in French, its wrong-code notice too', async () => {
    const account = await totpAccount(app());
    const s = await signInPage({ ui_locales: 'fr' });
    const step = await login(s, account.user.username, testPassword);
    expect(step.status).toBe(200);
    const page = await step.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<h1>Vérification en deux étapes</h1>');
    expect(page).toContain('Code de l’application d’authentification');
    expect(page).toContain('Utiliser plutôt un code de récupération');
    const wrong = await s.agent.send(`${s.path}/factor`, { form: { _csrf: s.csrf, mfa_token: mfaFieldOf(page), factor: 'totp', code: '000000' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Ce code n’est pas correct.');
  });

  it('the consent page of a third-party client is in French', async () => {
    const { user } = await app().signUp();
    const s = await signInPage({ ui_locales: 'fr', scope: 'openid email' }, undefined, 'third');
    const done = await login(s, user.username, testPassword);
    expect(done.status).toBe(303);
    const consent = await s.agent.follow(done.headers.get('location')!, callback);
    const page = await consent.response.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<h1>Autoriser l’accès ?</h1>');
    expect(page).toContain('<strong>Partner App</strong> souhaite utiliser votre compte');
    expect(page).toContain('Voir votre adresse e-mail et si elle est vérifiée');
    expect(page).toContain('>Refuser</button>');
  });

  it('the logout pages follow ui_locales, then Accept-Language', async () => {
    const { user } = await app().signUp();
    const s = await signInPage();
    const done = await login(s, user.username, testPassword);
    expect(done.status).toBe(303);
    expect((await s.agent.follow(done.headers.get('location')!, callback)).url.startsWith(callback)).toBe(true);
    // Signed in at the provider: the end-session endpoint asks first.
    const end = (query: string, headers: Record<string, string> = {}) => s.agent.send(`/oidc/session/end${query}`, { headers }).then((r) => r.text());
    const english = await end('?ui_locales=en', { 'accept-language': 'fr' });
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Stay signed in');
    expect(await end('', { 'accept-language': 'fr' })).toContain('Une application demande à vous déconnecter.');
    const french = await end('?ui_locales=fr');
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain('<h1>Se déconnecter ?</h1>');
    expect(french).toContain('Rester connecté');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(french)![1]!;
    const confirm = await s.agent.send('/oidc/session/end/confirm', { form: { xsrf, logout: 'yes' }, headers: { 'accept-language': 'fr' } });
    expect(confirm.status).toBe(303);
    // A browser sends its Accept-Language on the redirect too (the success page has no ui_locales of its own).
    const signedOut = await (await s.agent.send(confirm.headers.get('location')!, { headers: { 'accept-language': 'fr' } })).text();
    expect(signedOut).toContain('<html lang="fr">');
    expect(signedOut).toContain('<h1>Vous êtes déconnecté</h1>');
  });
});
