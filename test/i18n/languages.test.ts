import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locales } from '../../src/core/locales.js';
import { mailKinds } from '../../src/mail/templates/index.js';
import { frenchTemplates } from '../../src/mail/templates/fr/index.js';
import { builtInTemplates } from '../../src/mail/templates/index.js';
import { backends } from '../support/backends.js';
import { relaxRateLimits, testApp, type TestApp } from '../support/app.js';
import { testPassword } from '../support/passwords.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{[#/]?\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('shipped languages', () => {
  it.each(mailKinds)('%s has a French template with the same variables as the English one', (kind) => {
    const french = frenchTemplates[kind];
    expect(french, `no French template for ${kind}`).toBeDefined();
    for (const part of ['subject', 'text', 'html'] as const) {
      expect(new Set(placeholders(french![part])), `${kind}.${part}`).toEqual(new Set(placeholders(builtInTemplates[kind][part])));
    }
    expect(french!.html).toContain('<html lang="fr">');
  });

  it('lists English and French', () => {
    expect([...locales]).toEqual(['en', 'fr']);
  });
});

describe.each(backends)('languages on %s', (backend) => {
  let app: TestApp;
  let templatesDir: string;
  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}, token?: string) =>
    app.request({ method, url, payload, headers, token });
  const lastMail = async (to: string, kind: string) =>
    app.store.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirstOrThrow();
  let n = 0;
  const address = () => `lang${++n}_${backend}_${process.pid}@example.com`;
  const signUp = async (headers: Record<string, string>) => {
    const email = address();
    const res = await request('POST', '/v1/auth/register', { email, password: testPassword }, headers);
    expect(res.statusCode).toBe(201);
    return { ...res.json(), email } as { email: string; access_token: string; user: { id: number; locale: string | null } };
  };
  const forgot = (email: string) => request('POST', '/v1/auth/password/forgot', { email });

  beforeAll(async () => {
    templatesDir = mkdtempSync(join(tmpdir(), 'gatehouse-templates-'));
    mkdirSync(join(templatesDir, 'fr'));
    writeFileSync(join(templatesDir, 'email_change_notice.txt'), 'Custom English notice for {{name}}\n');
    writeFileSync(join(templatesDir, 'fr', 'account_activated.subject.txt'), 'Bienvenue chez {{product}} (personnalisé)\n');
    app = await testApp(backend, { GATEHOUSE_MAIL_TEMPLATES: templatesDir });
    await relaxRateLimits(app);
    await app.core.settings.update({ rate_reset_ip: 100000, rate_reset_account: 100000 }, null);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an account signed up in French (fr-CA) gets its mail in French; PATCH /v1/me changes it', async () => {
    const { email, user, access_token } = await signUp({ 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' });
    expect(user.locale).toBe('fr');
    expect((await forgot(email)).statusCode).toBeLessThan(300);
    const french = await lastMail(email, 'password_reset');
    expect(french.subject).toBe('Réinitialisez votre mot de passe Gatehouse');
    expect(french.text_body).toContain('Votre code :');
    expect(french.html_body).toContain('<html lang="fr">');

    const changed = await request('PATCH', '/v1/me', { locale: 'en' }, {}, access_token);
    expect(changed.statusCode).toBe(200);
    expect(changed.json().locale).toBe('en');
    await forgot(email);
    expect((await lastMail(email, 'password_reset')).subject).toBe('Reset your Gatehouse password');
  });

  it('the request that causes a mail does not choose its language: the account does', async () => {
    const { email, user } = await signUp({});
    expect(user.locale).toBeNull();
    // Someone typing the address in French gets the account's (default) language, not theirs.
    await request('POST', '/v1/auth/password/forgot', { email }, { 'accept-language': 'fr' });
    expect((await lastMail(email, 'password_reset')).subject).toBe('Reset your Gatehouse password');
  });

  it('refuses a language that is not shipped, and null goes back to the default', async () => {
    const { access_token } = await signUp({ 'accept-language': 'fr' });
    for (const locale of ['de', 'FR', 'fr-CA', '', 'x'.repeat(40), 7, ['fr'], { fr: 1 }, 'fr\u0000']) {
      const res = await request('PATCH', '/v1/me', { locale }, {}, access_token);
      expect(res.statusCode, JSON.stringify(locale)).toBe(400);
    }
    const me = await request('GET', '/v1/me', undefined, {}, access_token);
    expect(me.json().locale).toBe('fr');
    const cleared = await request('PATCH', '/v1/me', { locale: null }, {}, access_token);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().locale).toBeNull();
  });

  it('odd Accept-Language headers fall back to the default without an error', async () => {
    for (const header of ['*', 'de-DE,de;q=0.9', ';;;,,q=abc', 'fr;q=0', 'x'.repeat(600), 'zh-Hant-TW']) {
      const { user } = await signUp({ 'accept-language': header });
      expect(user.locale, header).toBeNull();
    }
    // q-values decide: English is preferred here although French is listed first.
    expect((await signUp({ 'accept-language': 'fr;q=0.3,en;q=0.8' })).user.locale).toBe('en');
  });

  it("a language's template files override its built-ins only; English files do not leak into French", async () => {
    const fr = await signUp({ 'accept-language': 'fr' });
    const en = await signUp({ 'accept-language': 'en' });
    await app.core.db.updateTable('users').set({ is_active: 0 }).where('id', 'in', [fr.user.id, en.user.id]).execute();
    // Activation mails: the French custom subject for the French account, the English built-in for the other.
    const { activateUser } = await import('../../src/core/recovery/activate-user.js');
    await activateUser(app.core, fr.user.id, null, { ip: '127.0.0.1', userAgent: 'test' });
    await activateUser(app.core, en.user.id, null, { ip: '127.0.0.1', userAgent: 'test' });
    expect((await lastMail(fr.email, 'account_activated')).subject).toBe('Bienvenue chez Gatehouse (personnalisé)');
    expect((await lastMail(en.email, 'account_activated')).subject).toBe('Your Gatehouse account is active');
  });

  it('the reset page speaks the reader’s language, errors included', async () => {
    const { email } = await signUp({});
    await forgot(email);
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec((await lastMail(email, 'password_reset')).text_body)![1]!;
    const page = await app.http.inject({ method: 'GET', url: `/reset-password?token=${token}`, headers: { 'accept-language': 'fr-FR' } });
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain('Choisissez un nouveau mot de passe');
    expect((await app.http.inject({ method: 'GET', url: `/reset-password?token=${token}&lang=fr` })).body).toContain('Enregistrer le mot de passe');
    expect((await app.http.inject({ method: 'GET', url: `/reset-password?token=${token}` })).body).toContain('Choose a new password');
    const post = (fields: Record<string, string>, lang: string) =>
      app.http.inject({ method: 'POST', url: '/reset-password', payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang } });
    expect((await post({ token, new_password: 'password' }, 'fr')).body).toContain('Ce mot de passe est trop courant.');
    expect((await post({ token, new_password: 'zq' }, 'fr')).body).toContain('Il doit contenir au moins 8 caractères.');
    expect((await post({ token, new_password: 'zq' }, 'en')).body).toContain('It must contain at least 8 characters.');
    expect((await post({ token: 'nope', new_password: 'long enough phrase 77' }, 'fr')).body).toContain('Le lien de réinitialisation est invalide ou a expiré');
    const done = await post({ token, new_password: 'long enough phrase 77' }, 'fr');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Mot de passe modifié');
  });
});

describe.each(backends)('GATEHOUSE_DEFAULT_LOCALE on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend, { GATEHOUSE_DEFAULT_LOCALE: 'fr' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an account with no language of its own reads the default one', async () => {
    const email = `default_${backend}_${process.pid}@example.com`;
    await app.request({ method: 'POST', url: '/v1/auth/register', payload: { email, password: testPassword } });
    await app.request({ method: 'POST', url: '/v1/auth/password/forgot', payload: { email } });
    const row = await app.store.db.selectFrom('outbox').select('subject').where('to_addr', '=', email).where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    expect(row.subject).toBe('Réinitialisez votre mot de passe Gatehouse');
  });
});
