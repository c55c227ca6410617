import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/admin/audit-query.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/core/mfa/totp-enrolment.js';
import { fr } from '../../src/i18n/fr.js';
import { frConsoleOperations } from '../../src/i18n/fr-console-operations.js';
import { frConsoleUsers } from '../../src/i18n/fr-console-users.js';
import { consoleMessages, notices } from '../../src/http/admin/console/console-kit.js';
import { formOnly, unexpectedFields, unknownLanguage } from '../../src/http/admin/console/language-route.js';
import { navItems } from '../../src/http/admin/console/layout.js';
import { mailStatusLabels } from '../../src/http/admin/console/mail-pages.js';
import { oidcClientNotices } from '../../src/http/admin/console/oidc-clients-page.js';
import { serviceKeyNotices } from '../../src/http/admin/console/service-keys-page.js';
import { choiceLabels, settingTexts } from '../../src/http/admin/console/settings-page.js';
import { webhookNotices } from '../../src/http/admin/console/webhooks-page.js';
import { profileLabels } from '../../src/http/admin/console/user-form.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { password, person, type Person } from '../admin/support.js';
import { addPasskey, origin, passkeyEnv, SoftAuthenticator } from '../mfa/passkey-support.js';

const consoleDir = 'src/http/admin/console';
/** The merged French resource (src/i18n/index.ts). */
const french: Readonly<Record<string, string>> = { ...fr, ...frConsoleUsers, ...frConsoleOperations };
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();

/**
 * The msgids of the console: every literal given to `t(...)` or `translateHtml(t, ...)` in every file of
 * the console's folder (listed, not named here, so a new page is scanned too), with the label tables
 * and messages the pages pass through `t` or translateMessage.
 */
function consoleMsgids(): Map<string, string> {
  const literal = /\b(?:t\(|translateHtml\(t,)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  const found = new Map<string, string>();
  for (const file of readdirSync(consoleDir).filter((f) => f.endsWith('.ts')).sort()) {
    for (const m of readFileSync(join(consoleDir, file), 'utf8').matchAll(literal)) found.set((m[1] ?? m[2]!).replace(/\\(.)/g, '$1'), file);
  }
  const tables: [string, readonly string[]][] = [
    ['layout.ts navItems', navItems.map(([, label]) => label)],
    ['user-form.ts profileLabels', Object.values(profileLabels).map(([label]) => label)],
    ['console-kit.ts notices', Object.values(notices).flatMap((n) => (typeof n === 'function' ? [] : [n.text]))],
    ['console-kit.ts consoleMessages', consoleMessages],
    ['language-route.ts', [unknownLanguage, formOnly, unexpectedFields]],
    // The operations pages' tables (helper B's files).
    ['settings-page.ts settingTexts', settingTexts()],
    ['settings-page.ts choiceLabels', Object.values(choiceLabels)],
    ['mail-pages.ts mailStatusLabels', Object.values(mailStatusLabels)],
    ['notices of service keys, OpenID clients, webhooks', [serviceKeyNotices, oidcClientNotices, webhookNotices].flatMap((table) => Object.values(table).map((n) => n.text))],
  ];
  for (const [where, texts] of tables) for (const text of texts) if (!found.has(text)) found.set(text, where);
  return found;
}

describe('the admin console in French: the catalogue', () => {
  it('every text the console translates has a French entry with the same placeholders', () => {
    const msgids = consoleMsgids();
    // The scan sees the calls (a rename of `t` or a new helper would make it find nothing).
    expect(msgids.size).toBeGreaterThan(100);
    for (const known of ['Skip to content', '{{n}} users', 'Two-step verification', 'Overview', 'Deactivate {{name}}? Their sessions and tokens stop working at once.', 'Browser default']) {
      expect([...msgids.keys()]).toContain(known);
    }
    const missing = [...msgids].filter(([msgid]) => !french[msgid]).map(([msgid, file]) => `${file}: "${msgid}"`);
    expect(missing).toEqual([]);
    for (const msgid of msgids.keys()) expect(placeholders(french[msgid]!), msgid).toEqual(placeholders(msgid));
  });
});

/** The authenticator app's side: a real TOTP computation. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });
const meta = { ip: '127.0.0.1', userAgent: 'test setup' };
const frenchBrowser = { 'accept-language': 'fr-FR,fr;q=0.9' };
const englishBrowser = { 'accept-language': 'en-GB,en;q=0.9' };

interface Answer {
  status: number;
  location: string | null;
  contentType: string | null;
  cookies: string[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => entities[name]!).replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

/** What a reader of the page reads: the text between tags (no script or style) and the attribute texts shown as tooltips, labels, placeholders and confirmations. */
function readableTexts(page: string): string[] {
  const body = page.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<style[\s\S]*?<\/style>/gi, ' ');
  const attributes = [...body.matchAll(/\s(?:title|aria-label|placeholder|alt|data-confirm|data-count-none|data-count-one|data-count-many)="([^"]*)"/g)].map((m) => m[1]!);
  return [...body.replace(/<[^>]*>/g, '\n').split('\n'), ...attributes].map((text) => decode(text).replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** The English msgids whose French differs, each as a whole-text pattern (a placeholder stands for any value). */
const englishTexts = Object.entries(french)
  .filter(([en, text]) => en !== text && /[A-Za-z]{2}/.test(en.replace(/\{\{[^}]+\}\}/g, '')))
  .map(([en]) => ({ en, pattern: new RegExp(`^${en.split(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`) }));
/** Words that in a French page can only be English left over. */
const stopWords = /\b(the|and|your|you|Users|Sign in|Sign out|Save|Search|Apply|Cancel|never|none|Password|Active|Status)\b/;

/** What is still English on a French page: whole texts that are English msgids, and English stop words. */
function englishLeftOver(page: string): string[] {
  const texts = readableTexts(page);
  const whole = texts.filter((text) => englishTexts.some(({ pattern }) => pattern.test(text)));
  const words = texts.filter((text) => stopWords.test(text)).map((text) => `word in “${text}”`);
  return [...new Set([...whole, ...words])];
}

describe.each(backends)('the admin console per language, over HTTP (%s)', (backend) => {
  let app: TestApp;
  let base: string;
  let staff: Person;
  let french_su: Person;
  let target: number;
  let totpStaff: { id: number; username: string; secret: string };

  async function send(path: string, opts: { cookie?: string; headers?: Record<string, string>; form?: Record<string, string>; body?: string; contentType?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.cookie) headers.cookie = opts.cookie;
    let body: string | undefined = opts.body;
    if (opts.form) body = new URLSearchParams(opts.form).toString();
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(path, base), { method: body === undefined ? 'GET' : 'POST', headers, body, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type'), cookies: res.headers.getSetCookie(), text: await res.text() };
  }
  const page = async (path: string, cookie?: string, headers: Record<string, string> = {}) => (await send(path, { cookie, headers })).text;
  /** A console session over HTTP: its cookie and the CSRF token of its pages. */
  async function signIn(login: string): Promise<{ cookie: string; csrf: string }> {
    const res = await send('/admin/login', { form: { login, password } });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const cookie = res.cookies.find((c) => c.startsWith('gatehouse_console='))!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page('/admin', cookie))![1]!;
    return { cookie, csrf };
  }
  const storedLocale = async (id: number) => (await app.core.db.selectFrom('users').select('locale').where('id', '=', id).executeTakeFirstOrThrow()).locale;
  const profileUpdates = async (id: number) => (await listAudit(app.core, { userId: id, kind: 'profile.updated', limit: 100 })).items;

  beforeAll(async () => {
    app = await testApp(backend, passkeyEnv);
    await relaxRateLimits(app);
    staff = await person(app, 'staff', { username: 'aurelie_marchand', email: 'aurelie.marchand@exemple.fr', first_name: 'Aurélie', last_name: 'Marchand' });
    french_su = await person(app, 'superuser', { username: 'thibault_roux', email: 'thibault.roux@exemple.fr' });
    target = (await app.signUp({ username: 'zoe_duroc', email: 'zoe.duroc@exemple.fr', first_name: 'Zoé', last_name: 'Duroc' })).user.id;
    // A staff member with an authenticator app, for the two-step page.
    const twoStep = await person(app, 'staff', { username: 'gaelle_perrin', email: 'gaelle.perrin@exemple.fr' });
    const { secret } = await startTotpEnrolment(app.core, twoStep.id, { current_password: password }, meta);
    await confirmTotpEnrolment(app.core, twoStep.id, { code: codeAt(secret, app.clock.now()) }, meta);
    totpStaff = { id: twoStep.id, username: twoStep.username, secret };
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // The French superuser chose French the way an API client does (PATCH /v1/me), over HTTP.
    const patched = await fetch(new URL('/v1/me', base), { method: 'PATCH', headers: { authorization: `Bearer ${french_su.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'fr' }) });
    expect(patched.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('speaks English by default, French to a French browser; ?lang= wins, then the stored language', async () => {
    const { cookie } = await signIn(staff.username);
    const english = await page('/admin', cookie);
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<h1>Overview</h1>');
    expect(english).toContain('<title>Overview · Gatehouse admin</title>');
    const browser = await page('/admin', cookie, frenchBrowser);
    expect(browser).toContain('<html lang="fr">');
    expect(browser).toContain('<h1>Vue d’ensemble</h1>');
    expect(browser).toContain('>Se déconnecter</button>');
    expect(await page('/admin?lang=fr', cookie, englishBrowser)).toContain('<h1>Vue d’ensemble</h1>');
    expect(await page('/admin?lang=en', cookie, frenchBrowser)).toContain('<h1>Overview</h1>');
    // Stored 'fr' (PATCH /v1/me) over an English browser; ?lang= over the stored language.
    const su = await signIn(french_su.username);
    expect(await storedLocale(french_su.id)).toBe('fr');
    expect(await page('/admin/users', su.cookie, englishBrowser)).toContain('<h1>Utilisateurs</h1>');
    expect(await page('/admin/users?lang=en', su.cookie, frenchBrowser)).toContain('<h1>Users</h1>');
  });

  it('<html lang="fr"> on the sign-in, two-step, overview, users, user and invite pages', async () => {
    const signInPage = await page('/admin/login', undefined, frenchBrowser);
    expect(signInPage).toContain('<html lang="fr">');
    expect(signInPage).toContain('<h1>Se connecter</h1>');
    expect(signInPage).toContain('Réservé aux comptes de l’équipe.');
    expect(await page('/admin/login')).toContain('<h1>Sign in</h1>');
    // A wrong password: the notice in French.
    const wrong = await send('/admin/login', { form: { login: staff.username, password: 'not the password 1' }, headers: frenchBrowser });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Saisissez un nom d’utilisateur ou un e-mail et un mot de passe corrects.');

    app.clock.advance(90);
    const started = await send('/admin/login', { form: { login: totpStaff.username, password }, headers: frenchBrowser });
    expect(started.status).toBe(303);
    expect(started.location).toBe('/admin/login/factor');
    const mfaCookie = started.cookies.map((c) => c.split(';')[0]!).join('; ');
    const step = await page('/admin/login/factor', mfaCookie, frenchBrowser);
    expect(step).toContain('<html lang="fr">');
    expect(step).toContain('<h1>Vérification en deux étapes</h1>');
    expect(step).toContain('Code de votre application d’authentification, ou code de récupération');
    const wrongCode = await send('/admin/login/factor', { cookie: mfaCookie, headers: frenchBrowser, form: { _csrf: /name="_csrf" value="([^"]+)"/.exec(step)![1]!, code: '000000' } });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.text).toContain('Ce code n’est pas correct. Réessayez.');
    // A passkey step: its button, and the script's texts in the page's language (data-i18n, as the OIDC pages give it).
    const withKey = await person(app, 'staff', { username: 'mathis_lefebvre', email: 'mathis.lefebvre@exemple.fr' });
    await addPasskey(app, withKey.token, new SoftAuthenticator(origin), 'Portable');
    const keyStarted = await send('/admin/login', { form: { login: withKey.username, password }, headers: frenchBrowser });
    const keyStep = await page('/admin/login/factor', keyStarted.cookies.map((c) => c.split(';')[0]!).join('; '), frenchBrowser);
    expect(keyStep).toContain('>Utiliser une clé d’accès</button>');
    const catalogue = JSON.parse(decode(/data-i18n="([^"]*)"/.exec(keyStep)![1]!)) as Record<string, string>;
    expect(catalogue['This browser cannot use passkeys here. Use a code instead.']).toBe('Ce navigateur ne peut pas utiliser de clé d’accès ici. Utilisez plutôt un code.');
    expect(await page('/admin/login/factor', keyStarted.cookies.map((c) => c.split(';')[0]!).join('; '), englishBrowser)).toContain('data-i18n="{}"');

    const { cookie } = await signIn(french_su.username);
    for (const [path, heading] of [['/admin', 'Vue d’ensemble'], ['/admin/users', 'Utilisateurs'], [`/admin/users/${target}`, 'Zoé Duroc'], ['/admin/users/invite', 'Inviter un utilisateur'], ['/admin/users/new', 'Nouvel utilisateur']] as const) {
      const text = await page(path, cookie, englishBrowser);
      expect(text, path).toContain('<html lang="fr">');
      expect(text, path).toContain(`<h1>${heading}</h1>`);
    }
    expect(await page(`/admin/users/${target}`, cookie)).toContain('Fermer toutes les sessions');
  });

  it("a French staff member's notices and form errors are French; an English one's stay English", async () => {
    const save = async (session: { cookie: string; csrf: string }, fields: Record<string, string>) => {
      const res = await send(`/admin/users/${target}`, { cookie: session.cookie, form: { _csrf: session.csrf, first_name: 'Zoé', last_name: 'Duroc', is_active: 'on', ...fields } });
      return res.status === 303 ? { status: res.status, text: await page(res.location!, session.cookie) } : res;
    };
    const fr = await signIn(french_su.username);
    const saved = await save(fr, {});
    expect(saved.text).toContain('Modifications enregistrées.');
    const bad = await save(fr, { email: 'pas une adresse' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Corrigez les erreurs ci-dessous.');
    expect(bad.text).toContain('Saisissez une adresse e-mail valide.');
    const worse = await save(fr, { phone_number: 'pas un numéro', first_name: 'Z'.repeat(151) });
    expect(worse.status).toBe(400);
    expect(worse.text).toContain('Saisissez un numéro de téléphone valide.');
    expect(worse.text).toContain('Ce champ ne doit pas dépasser 150 caractères.');
    const en = await signIn(staff.username);
    expect((await save(en, {})).text).toContain('Changes saved.');
    expect((await save(en, { email: 'not an address' })).text).toContain('Please correct the errors below.');
  });

  it('POST /admin/language stores the staff member’s language as PATCH /v1/me does, audited alike, and goes back', async () => {
    const { cookie, csrf } = await signIn(staff.username);
    expect(await storedLocale(staff.id)).toBe(null);
    const before = (await profileUpdates(staff.id)).length;
    const res = await send('/admin/language', { cookie, form: { _csrf: csrf, locale: 'fr', next: '/admin/users?q=zoe' } });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/users?q=zoe');
    expect(await storedLocale(staff.id)).toBe('fr');
    const updates = await profileUpdates(staff.id);
    expect(updates.length).toBe(before + 1);
    // The same event PATCH /v1/me wrote for the superuser's choice.
    const viaApi = (await profileUpdates(french_su.id)).find((e) => JSON.stringify(e.detail) === JSON.stringify({ fields: ['locale'] }));
    expect(viaApi).toBeDefined();
    expect(updates[0]).toMatchObject({ kind: 'profile.updated', actor_id: staff.id, detail: { fields: ['locale'] } });
    // Now French over an English browser; the form shows the choice.
    const french = await page(res.location!, cookie, englishBrowser);
    expect(french).toContain('<h1>Utilisateurs</h1>');
    expect(french).toMatch(/<option value="fr" selected lang="fr">Français<\/option>/);
    // The page's own path is where the form returns to (without its notice).
    expect(await page(`/admin/users/${target}?notice=saved`, cookie)).toContain(`name="next" value="/admin/users/${target}"`);
    // '' is the browser default again; an unsafe next goes to the overview.
    const cleared = await send('/admin/language', { cookie, form: { _csrf: csrf, locale: '', next: '//evil.example/x' } });
    expect(cleared.status).toBe(303);
    expect(cleared.location).toBe('/admin');
    expect(await storedLocale(staff.id)).toBe(null);
    expect(await page('/admin', cookie, englishBrowser)).toContain('<h1>Overview</h1>');
    await send('/admin/language', { cookie, form: { _csrf: csrf, locale: 'en' } });
    expect(await storedLocale(staff.id)).toBe('en');
    expect(await page('/admin', cookie, frenchBrowser)).toContain('<h1>Overview</h1>');
    await send('/admin/language', { cookie, form: { _csrf: csrf, locale: '' } });
  });

  it('POST /admin/language refuses bad input with a clear 4xx page and stores nothing', async () => {
    const { cookie, csrf } = await signIn(staff.username);
    const before = (await profileUpdates(staff.id)).length;
    const cases: [name: string, opts: Parameters<typeof send>[1], status: number][] = [
      ['unknown language', { form: { _csrf: csrf, locale: 'de' } }, 400],
      ['upper case', { form: { _csrf: csrf, locale: 'FR' } }, 400],
      ['a region', { form: { _csrf: csrf, locale: 'fr-CA' } }, 400],
      ['full-width letters', { form: { _csrf: csrf, locale: 'ｆｒ' } }, 400],
      ['a NUL after it', { form: { _csrf: csrf, locale: 'fr\u0000' } }, 400],
      ['a lone surrogate', { body: `_csrf=${csrf}&locale=%ED%A0%80`, contentType: 'application/x-www-form-urlencoded' }, 400],
      ['too long', { form: { _csrf: csrf, locale: 'f'.repeat(36) } }, 400],
      ['no locale', { form: { _csrf: csrf } }, 400],
      ['an extra field', { form: { _csrf: csrf, locale: 'fr', is_superuser: 'on' } }, 400],
      ['no CSRF token', { form: { locale: 'fr' } }, 400],
      ['a wrong CSRF token', { form: { _csrf: 'x'.repeat(32), locale: 'fr' } }, 403],
      ['JSON', { body: JSON.stringify({ _csrf: csrf, locale: 'fr' }), contentType: 'application/json' }, 415],
      ['text/plain', { body: `_csrf=${csrf}&locale=fr`, contentType: 'text/plain' }, 415],
      ['oversized', { form: { _csrf: csrf, locale: 'fr', next: `/admin?${'a'.repeat(5000)}` } }, 413],
    ];
    for (const [name, opts, status] of cases) {
      const res = await send('/admin/language', { cookie, ...opts });
      expect(res.status, name).toBe(status);
      expect(res.contentType, name).toMatch(/^text\/html/);
      expect(res.text, name).toMatch(/<h1>[^<]+<\/h1>/);
      expect(res.text, name).toContain('Back to the console');
      expect(await storedLocale(staff.id), name).toBe(null);
    }
    // The refusal says what to do, in the page's language.
    expect((await send('/admin/language', { cookie, form: { _csrf: csrf, locale: 'de' } })).text).toContain(unknownLanguage);
    const french = await send('/admin/language', { cookie, headers: frenchBrowser, form: { _csrf: csrf, locale: 'de' } });
    expect(french.text).toContain('<html lang="fr">');
    expect(french.text).toContain('Choisissez une langue de la console, ou celle du navigateur.');
    expect((await send('/admin/language', { cookie, headers: frenchBrowser, form: { _csrf: 'x'.repeat(32), locale: 'fr' } })).text).toContain('Le formulaire a expiré ou ne vient pas de cette console.');
    // Signed out: to the sign-in page, nothing stored.
    const anonymous = await send('/admin/language', { form: { _csrf: csrf, locale: 'fr' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/admin/login');
    expect(await storedLocale(staff.id)).toBe(null);
    expect((await profileUpdates(staff.id)).length).toBe(before);
  });

  it('no English is left on the French pages (seeded with names that are not English words)', async () => {
    const { cookie } = await signIn(french_su.username);
    await app.core.settings.update({ mfa_required_staff: false }, null);
    const pages: [string, string][] = [
      ['sign-in', await page('/admin/login', undefined, frenchBrowser)],
      ['sign-in refused', (await send('/admin/login', { form: { login: 'personne', password: 'mauvais mot de passe 1' }, headers: frenchBrowser })).text],
      ['overview', await page('/admin', cookie)],
      ['users', await page('/admin/users', cookie)],
      ['users, none found', await page('/admin/users?q=xyzzyquux', cookie)],
      ['user', await page(`/admin/users/${target}`, cookie)],
      ['staff member with a second factor', await page(`/admin/users/${totpStaff.id}`, cookie)],
      ['user saved', await page(`/admin/users/${target}?notice=saved`, cookie)],
      ['new user', await page('/admin/users/new', cookie)],
      ['invite', await page('/admin/users/invite', cookie)],
      ['no such user', await page('/admin/users/999999', cookie)],
      ['bulk', await page('/admin/users?notice=bulk&ok=2&failed=1', cookie)],
    ];
    app.clock.advance(90);
    const started = await send('/admin/login', { form: { login: totpStaff.username, password }, headers: frenchBrowser });
    pages.push(['two-step', await page('/admin/login/factor', started.cookies.map((c) => c.split(';')[0]!).join('; '), frenchBrowser)]);
    await app.core.settings.update({ mfa_required_staff: true, mfa_enrolment_grace: 0 }, null);
    try {
      pages.push(['enrol first', (await send('/admin/login', { form: { login: staff.username, password }, headers: frenchBrowser })).text]);
    } finally {
      await app.core.settings.update({ mfa_required_staff: false, mfa_enrolment_grace: 7 * 86_400 }, null);
    }
    const leftOver = pages.flatMap(([name, text]) => {
      expect(text, name).toContain('<html lang="fr">');
      return englishLeftOver(text).map((t) => `${name}: ${t}`);
    });
    expect(leftOver).toEqual([]);
  });
});
