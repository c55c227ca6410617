import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fr } from '../../src/i18n/fr.js';
import { frConsoleOperations } from '../../src/i18n/fr-console-operations.js';
import { frConsoleUsers } from '../../src/i18n/fr-console-users.js';
import { mailKindLabels, mailStatusLabels } from '../../src/http/admin/console/mail-pages.js';
import { oidcClientNotices } from '../../src/http/admin/console/oidc-clients-page.js';
import { serviceKeyNotices } from '../../src/http/admin/console/service-keys-page.js';
import { choiceLabels, settingTexts } from '../../src/http/admin/console/settings-page.js';
import { webhookNotices } from '../../src/http/admin/console/webhooks-page.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { chromiumPath, haveBrowser } from '../support/browser.js';
import { person, password, type Person } from '../admin/support.js';

/** Every French entry whose text differs from its English msgid: English left on a French page is one of these. */
const french: Record<string, string> = { ...fr, ...frConsoleUsers, ...frConsoleOperations };
const translatedMsgids = Object.keys(french).filter((msgid) => french[msgid] !== msgid);
/** Short English words no French page of ours writes (data is seeded in French, so it writes none either). */
const stopWords = ['the', 'and', 'your', 'you', 'with', 'of', 'is', 'are', 'this', 'yet', 'from', 'none', 'never', 'nothing', 'only'];
const stopWordsCased = ['Save', 'Settings', 'Delete', 'Revoke', 'Retry', 'Created', 'Name', 'Status', 'State', 'Events', 'Kind', 'Last', 'Attempts', 'Queued', 'Database', 'Signing', 'Subject', 'Tries', 'Details', 'Apply', 'Newest', 'Older', 'Export', 'Enable', 'Disable', 'Grants', 'Healthy', 'Backlog', 'Age'];

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : entities[e] ?? whole);

/**
 * What a reader of `page` reads: its text nodes and the attributes a person reads, decoded, one
 * chunk each. An audit event's details (`<span class="kv">`) are its JSON, data like a username.
 */
export function visibleChunks(page: string): string[] {
  const noCode = page.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<span class="kv">[\s\S]*?<\/span>/g, ' ');
  const attributes = [...noCode.matchAll(/\s(?:title|aria-label|placeholder|data-confirm|alt)="([^"]*)"/g)].map((m) => m[1]!);
  const texts = noCode.replace(/<!--[\s\S]*?-->/g, ' ').split(/<[^>]*>/);
  return [...texts, ...attributes].map((s) => decode(s).replace(/\s+/g, ' ').trim()).filter(Boolean);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const word = (w: string, flags: string) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRe(w)}(?![\\p{L}\\p{N}_])`, `u${flags}`);

/**
 * English left over on a French page: a chunk that is a translated msgid (placeholders match
 * anything), a phrase of several words from one found inside any chunk, or a word of the stop-list.
 */
export function englishLeftOver(page: string): string[] {
  const chunks = visibleChunks(page);
  const text = chunks.join(' \u0000 ');
  const found = new Set<string>();
  for (const msgid of translatedMsgids) {
    const pattern = msgid.split(/\{\{\s*\w+\s*\}\}/).map(escapeRe).join('.+?');
    if (chunks.some((c) => new RegExp(`^${pattern}$`, 's').test(c))) found.add(msgid);
    else if (!msgid.includes('{{') && /\s/.test(msgid.trim()) && word(msgid, '').test(text)) found.add(msgid);
  }
  for (const w of stopWords) if (word(w, 'i').test(text)) found.add(`word "${w}"`);
  for (const w of stopWordsCased) if (word(w, '').test(text)) found.add(`word "${w}"`);
  return [...found];
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the operations pages\' tables in French', () => {
  it('every label, help text and notice the pages render through t has a French entry with the same placeholders', () => {
    const texts = [
      ...settingTexts(), ...Object.values(choiceLabels), ...Object.values(mailStatusLabels), ...Object.values(mailKindLabels),
      ...[serviceKeyNotices, oidcClientNotices, webhookNotices].flatMap((table) => Object.values(table).map((n) => n.text)),
    ];
    // The settings table is read (core/settings.ts has some 37 settings, each a label and a help).
    expect(texts.length).toBeGreaterThan(80);
    expect(texts).toContain('Access-token lifetime'); // a duration's label, shown without its "(s)"
    expect(texts).toContain('Rate limits');
    const missing = texts.filter((text) => !french[text]);
    expect(missing).toEqual([]);
    for (const text of texts) expect(placeholders(french[text]!), text).toEqual(placeholders(text));
  });
});

describe('the English-left-over check', () => {
  it('finds English text, phrases and stop-list words, and passes French', () => {
    expect(englishLeftOver('<p>Forgot your password?</p>')).toContain('Forgot your password?');
    expect(englishLeftOver('<h1>Sign in</h1>')).toContain('Sign in');
    expect(englishLeftOver('<p title="Save the form">x</p>')).toEqual(expect.arrayContaining(['word "the"', 'word "Save"']));
    expect(englishLeftOver('<p>Réglages enregistrés &amp; appliqués, l’instance <code>db.example</code> répond.</p><script>var the = 1;</script>')).toEqual([]);
  });
});

describe.each(backends)('console operations pages in French (%s)', (backend) => {
  let app: TestApp;
  let base: string;
  let su: Person;
  let cookie = '';
  let csrf = '';
  let mailId = 0;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, base), { headers: { cookie, ...headers }, redirect: 'manual' });
    return { status: res.status, page: await res.text(), location: res.headers.get('location') };
  };
  const post = async (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: csrf, ...fields })) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(new URL(path, base), { method: 'POST', body, headers: { cookie }, redirect: 'manual' });
    return { status: res.status, page: await res.text(), location: res.headers.get('location') };
  };

  /** The whole settings form as the page posts it, with `changes` typed in. */
  const settingsForm = (page: string, changes: Record<string, string>) => {
    const fields: Record<string, string> = {};
    for (const m of page.matchAll(/<input id="s-[a-z_]+" name="([a-z_]+)" type="(text|number)"[^>]* value="([^"]*)"/g)) fields[m[1]!] = decode(m[3]!);
    for (const m of page.matchAll(/<input id="s-[a-z_]+" name="([a-z_]+)" type="checkbox"[^>]* checked/g)) fields[m[1]!] = 'on';
    for (const m of page.matchAll(/<select id="s-[a-z_]+" name="([a-z_]+)"[\s\S]*?<option value="([^"]*)" selected/g)) fields[m[1]!] = m[2]!;
    return { ...fields, ...changes };
  };

  beforeAll(async () => {
    app = await testApp(backend);
    await relaxRateLimits(app);
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    su = await person(app, 'superuser', { username: `élodie_${backend}_${process.pid}`, email: `elodie.${backend}.${process.pid}@exemple.fr` });
    // The staff member's stored language, set the way an app sets it.
    const me = await fetch(new URL('/v1/me', base), { method: 'PATCH', headers: { authorization: `Bearer ${su.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'fr' }) });
    expect(me.status).toBe(200);
    const signIn = await fetch(new URL('/admin/login', base), { method: 'POST', body: new URLSearchParams({ login: su.username, password }), redirect: 'manual' });
    expect(signIn.status).toBe(303);
    cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/admin')).page)![1]!;
    // Seed data in French: a French account's reset mail (given up on, so it can be retried), and
    // names of our own on every list.
    const register = await fetch(new URL('/v1/auth/register', base), {
      method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'fr-FR,fr;q=0.9' },
      body: JSON.stringify({ username: `amélie_${process.pid}`, email: `amelie.${process.pid}@exemple.fr`, password }),
    });
    expect(register.status).toBe(201);
    await fetch(new URL('/v1/auth/password/forgot', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `amelie.${process.pid}@exemple.fr` }) });
    const mail = await app.core.db.selectFrom('outbox').select(['id']).where('to_addr', '=', `amelie.${process.pid}@exemple.fr`).orderBy('id', 'desc').executeTakeFirstOrThrow();
    mailId = mail.id;
    await app.core.db.updateTable('outbox').set({ status: 'failed', attempts: 3, last_error: 'connexion refusée par smtp.exemple.fr' }).where('id', '=', mailId).execute();
    expect((await post('/admin/service-keys', { name: 'Clé Zéphyr' })).status).toBe(201);
    expect((await post('/admin/oidc-clients', { name: 'Appli Mistral', kind: 'signin', redirect_uris: 'https://appli.exemple.fr/retour' })).status).toBe(201);
    expect((await post('/admin/webhooks', { url: 'https://crochets.exemple.fr/gatehouse', events: ['user.created', 'user.updated'] })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const pages = () => [
    { path: '/admin/audit', heading: '<h1>Journal d’audit</h1>' },
    { path: '/admin/mail', heading: '<h1>File des e-mails</h1>' },
    { path: `/admin/mail/${mailId}`, heading: `<h1>E-mail nº ${mailId}</h1>` },
    { path: '/admin/system', heading: '<h1>Système</h1>' },
    { path: '/admin/settings', heading: '<h1>Réglages</h1>' },
    { path: '/admin/service-keys', heading: '<h1>Clés de service</h1>' },
    { path: '/admin/oidc-clients', heading: '<h1>Clients OpenID</h1>' },
    { path: '/admin/webhooks', heading: '<h1>Webhooks</h1>' },
  ];

  it('each page speaks French to a staff member whose stored language is French, with no English left over', async () => {
    for (const { path, heading } of pages()) {
      const { status, page } = await get(path);
      expect(status, path).toBe(200);
      expect(page, path).toContain('<html lang="fr">');
      expect(englishLeftOver(page), path).toEqual([]);
      expect(page, path).toContain(heading);
    }
  });

  it('the same pages stay English for ?lang=en, where the left-over check finds English', async () => {
    const english = ['<h1>Audit log</h1>', '<h1>Mail outbox</h1>', `<h1>Mail #${mailId}</h1>`, '<h1>System</h1>', '<h1>Settings</h1>', '<h1>Service keys</h1>', '<h1>OpenID clients</h1>', '<h1>Webhooks</h1>'];
    for (const [i, { path }] of pages().entries()) {
      const { page } = await get(`${path}${path.includes('?') ? '&' : '?'}lang=en`);
      expect(page, path).toContain('<html lang="en">');
      expect(page, path).toContain(english[i]);
      // The check sees English where there is English.
      expect(englishLeftOver(page).length, path).toBeGreaterThan(3);
    }
  });

  it('the lists show the seeded data, untranslated, beside French words', async () => {
    const mail = (await get('/admin/mail')).page;
    expect(mail).toContain(`amelie.${process.pid}@exemple.fr`);
    expect(mail).toContain('Essais');
    expect(mail).toContain('<td>réinitialisation du mot de passe</td>'); // the kind's name (English shows its code)
    expect((await get('/admin/mail?lang=en')).page).toContain('<td>password_reset</td>');
    const one = (await get(`/admin/mail/${mailId}`)).page;
    expect(one).toContain('Relancer l’envoi');
    expect(one).toContain('connexion refusée par smtp.exemple.fr');
    expect((await get('/admin/service-keys')).page).toContain('Clé Zéphyr');
    expect((await get('/admin/oidc-clients')).page).toContain('Appli Mistral');
    const hooks = (await get('/admin/webhooks')).page;
    expect(hooks).toContain('https://crochets.exemple.fr/gatehouse');
    expect(hooks).toContain('Renouveler le secret');
    const audit = (await get('/admin/audit')).page;
    expect(audit).toContain('admin.service_key_created'); // kinds are codes, shown as they are
  });

  it('durations on the settings and system pages are French', async () => {
    await app.core.settings.update({ lockout_seconds: 86399, audit_retention_days: 400 }, null);
    const settings = (await get('/admin/settings')).page;
    expect(settings).toMatch(/name="lockout_seconds" type="text"[^>]* value="23 h 59 min 59 s"/);
    expect(settings).toMatch(/name="audit_retention_days" type="text"[^>]* value="400 jours"/);
    expect(settings).toContain('De 1 jour à 36500 jours');
    expect(settings).toContain('Valeur par défaut : <code>10 min</code>'); // otp_ttl
    expect(settings).toContain('Durée de vie du jeton d’accès');
    expect((await fetch(new URL('/readyz', base))).status).toBe(200); // an instance seen, with its age
    const system = (await get('/admin/system')).page;
    expect(system).toMatch(/il y a [0-9]|à l’instant/);
    expect(system).toMatch(/[0-9]+ (jours?|h|min|s)\b/);
    expect(system).not.toMatch(/ days?\b| ago\b/);
  });

  it('a settings form posted with a French duration saves it; a bad one is refused in French and saves nothing', async () => {
    await app.core.settings.update({ refresh_token_ttl: 7 * 86400 }, null);
    const page = (await get('/admin/settings')).page;
    const saved = await post('/admin/settings', settingsForm(page, { refresh_token_ttl: '30 jours' }));
    expect(saved.status, saved.page.slice(0, 300)).toBe(303);
    expect(app.core.settings.get('refresh_token_ttl')).toBe(2_592_000);
    const notice = await get(saved.location!);
    expect(notice.page).toContain('Réglages enregistrés.');
    // The page now shows it in French, and posting it back unchanged changes nothing.
    const again = (await get('/admin/settings')).page;
    expect(again).toMatch(/name="refresh_token_ttl" type="text"[^>]* value="30 jours"/);
    expect((await post('/admin/settings', settingsForm(again, {}))).location).toBe('/admin/settings?notice=settings_unchanged');
    const before = app.core.settings.all();
    const bad = await post('/admin/settings', settingsForm(again, { access_token_ttl: '30 jours', otp_ttl: 'bientôt', otp_length: '99' }));
    expect(bad.status).toBe(400);
    expect(bad.page).toContain('<html lang="fr">');
    expect(bad.page).toContain('Rien n’a été enregistré');
    expect(bad.page).toContain('Saisissez une durée de 10 s à 1 jour.');
    expect(bad.page).toContain('Saisissez une durée comme 90 s, 15 min, 1 h 30 min ou un nombre de secondes.');
    expect(bad.page).toContain('Saisissez un nombre de 4 à 10.');
    expect(englishLeftOver(bad.page)).toEqual([]);
    expect(app.core.settings.all()).toEqual(before);
  });

  it('the audit filters refuse bad input in French', async () => {
    const bad = (await get('/admin/audit?user_id=abc&kind=Login!')).page;
    expect(bad).toContain('Saisissez un identifiant d’utilisateur (un nombre).');
    expect(bad).toContain('Saisissez un type d’événement comme login.failed, ou une famille comme admin.');
    expect(englishLeftOver(bad)).toEqual([]);
    expect((await get('/admin/audit?from=2026-02-30')).page).toContain('Saisissez une date (AAAA-MM-JJ) ou une date et heure ISO 8601.');
  });

  it('form refusals on the service-key, client and webhook pages are French', async () => {
    const key = await post('/admin/service-keys', { name: '' });
    expect(key.status).toBe(400);
    expect(key.page).toContain('Saisissez un nom de 1 à 100 caractères.');
    expect(englishLeftOver(key.page)).toEqual([]);
    const client = await post('/admin/oidc-clients', { name: 'Appli Brise', kind: 'signin', redirect_uris: 'pas une adresse' });
    expect(client.status).toBe(400);
    expect(client.page).toContain('Saisissez une URL absolue.');
    expect(englishLeftOver(client.page)).toEqual([]);
    const hook = await post('/admin/webhooks', { url: '', events: ['user.created'] });
    expect(hook.status).toBe(400);
    expect(hook.page).toContain('Saisissez une URL de 2000 caractères au plus.');
    expect(englishLeftOver(hook.page)).toEqual([]);
  });

  it('a staff member who is not a superuser reads the read-only pages in French too', async () => {
    const staff = await person(app, 'staff', { username: `gaëlle_${backend}_${process.pid}`, email: `gaelle.${backend}.${process.pid}@exemple.fr` });
    await app.core.db.updateTable('users').set({ locale: 'fr' }).where('id', '=', staff.id).execute();
    await app.core.users.invalidate(staff.id);
    const signIn = await fetch(new URL('/admin/login', base), { method: 'POST', body: new URLSearchParams({ login: staff.username, password }), redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const staffCookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const expected: [string, string][] = [
      ['/admin/settings', 'Seul un superutilisateur peut modifier les réglages.'],
      ['/admin/service-keys', 'Seul un superutilisateur peut créer ou révoquer des clés de service.'],
      ['/admin/oidc-clients', 'Seul un superutilisateur peut enregistrer ou révoquer des clients.'],
      [`/admin/mail/${mailId}`, 'Seul un superutilisateur peut lire le contenu d’un e-mail non envoyé'],
    ];
    for (const [path, text] of expected) {
      const page = await (await fetch(new URL(path, base), { headers: { cookie: staffCookie } })).text();
      expect(page, path).toContain('<html lang="fr">');
      expect(page, path).toContain(text);
      expect(englishLeftOver(page), path).toEqual([]);
    }
  });

  // Skipped only on a machine without Debian's chromium; in CI haveBrowser is always true, so a missing browser fails there.
  it.skipIf(!haveBrowser)('in a real browser the French pages, with their longer words, scroll no wider than a desktop or a 390 px phone', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext();
      const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
      await context.addCookies([{ name, value, url: base }]);
      await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
      const page = await context.newPage();
      const problems: string[] = [];
      for (const [width, height] of [[1280, 900], [390, 844]] as const) {
        await page.setViewportSize({ width, height });
        for (const { path } of pages()) {
          await page.goto(`${base}${path}`);
          expect(await page.evaluate(() => document.documentElement.lang), path).toBe('fr');
          const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          if (scroll > client) problems.push(`${width}px ${path}: scrollWidth ${scroll} > ${client}`);
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('the notices after a change are French', async () => {
    const retried = await post(`/admin/mail/${mailId}/retry`, {});
    expect(retried.status).toBe(303);
    expect((await get(retried.location!)).page).toContain('E-mail remis en file.');
    const keys = (await get('/admin/service-keys')).page;
    const keyId = /action="\/admin\/service-keys\/([^/"]+)\/revoke"/.exec(keys)![1]!;
    const revoked = await post(`/admin/service-keys/${keyId}/revoke`, {});
    const after = (await get(revoked.location!)).page;
    expect(after).toContain('Clé de service révoquée.');
    expect(englishLeftOver(after)).toEqual([]);
  });
});
