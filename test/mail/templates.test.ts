import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MailKind } from '../../src/core/context.js';
import { createMailer } from '../../src/mail/mailer.js';
import { loadTemplates } from '../../src/mail/templates.js';
import { testConfig } from './support/setup.js';

const kinds: MailKind[] = ['password_reset', 'password_changed', 'email_verification', 'email_change_notice', 'account_activated'];

describe('built-in templates', () => {
  const mailer = createMailer(testConfig());

  it.each(kinds)('%s has a subject, text and HTML that name the product and leave no placeholder', (kind) => {
    const mail = mailer.render({ kind, to: 'ann@example.com', data: { name: 'Ann', code: '123456', link: 'https://x.test/l', minutes: '15', newEmail: 'new@example.com' } });
    expect(mail.subject).toContain('Acme ID');
    expect(mail.text).toContain('Acme ID');
    expect(mail.html).toContain('Acme ID');
    expect(mail.html).toMatch(/^<!doctype html>/);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\{|\}\}/);
  });

  it('password_reset carries code, link and expiry minutes', () => {
    const mail = mailer.render({ kind: 'password_reset', to: 'a@example.com', data: { code: '918273', link: 'https://app.test/r?t=abc', minutes: '15' } });
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('918273');
      expect(part).toContain('https://app.test/r?t=abc');
      expect(part).toContain('15 minutes');
    }
  });

  it('builds reset and verification links from a token and the configured URL templates', () => {
    const config = testConfig({ GATEHOUSE_RESET_URL: 'https://app.test/reset/{token}' });
    const m = createMailer(config);
    expect(m.render({ kind: 'password_reset', to: 'a@example.com', data: { token: 'a/b+c' } }).text).toContain('https://app.test/reset/a%2Fb%2Bc');
    expect(m.render({ kind: 'email_verification', to: 'a@example.com', data: { token: 'tok' } }).text).toContain('https://id.acme.test/verify-email?token=tok');
  });

  it('leaves out the code line of a link-only mail', () => {
    const mail = mailer.render({ kind: 'email_verification', to: 'a@example.com', data: { link: 'https://app.test/v' } });
    expect(mail.text).not.toContain('Your code');
    expect(mail.html).not.toContain('Your code');
  });

  it('email_change_notice names the new address', () => {
    const mail = mailer.render({ kind: 'email_change_notice', to: 'old@example.com', data: { newEmail: 'new@example.com' } });
    expect(mail.text).toContain('new@example.com');
  });

  it('escapes values in HTML but not in text', () => {
    const mail = mailer.render({ kind: 'password_reset', to: 'a@example.com', data: { name: '<img src=x onerror=alert(1)>', code: '1', link: 'https://a.test/?x=1&y="2"' } });
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('href="https://a.test/?x=1&amp;y=&quot;2&quot;"');
    expect(mail.text).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('template override directory', () => {
  function overrideDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tpl-'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    return dir;
  }

  it('replaces the built-ins file by file', () => {
    const dir = overrideDir({
      'password_reset.subject.txt': '{{product}}: your code is {{code}}\n',
      'password_reset.html': '<p>Code <b>{{code}}</b> for {{name}}</p>',
    });
    const mailer = createMailer(testConfig({ GATEHOUSE_MAIL_TEMPLATES: dir }));
    const mail = mailer.render({ kind: 'password_reset', to: 'a@example.com', data: { code: '777', name: 'A&B' } });
    expect(mail.subject).toBe('Acme ID: your code is 777');
    expect(mail.html).toBe('<p>Code <b>777</b> for A&amp;B</p>');
    expect(mail.text).toContain('Someone asked to reset the password'); // built-in text kept
    const other = mailer.render({ kind: 'password_changed', to: 'a@example.com', data: {} });
    expect(other.subject).toBe('Your Acme ID password was changed');
  });

  it('derives the HTML from an overridden text when no HTML is given', () => {
    const dir = overrideDir({ 'account_activated.txt': 'Welcome {{name}} <3\n\nSign in at {{link}}\n' });
    const mail = createMailer(testConfig({ GATEHOUSE_MAIL_TEMPLATES: dir })).render({
      kind: 'account_activated',
      to: 'a@example.com',
      data: { name: '<Ann>', link: 'https://a.test/login' },
    });
    expect(mail.text).toBe('Welcome <Ann> <3\n\nSign in at https://a.test/login\n');
    expect(mail.html).toContain('<p>Welcome &lt;Ann&gt; &lt;3</p>');
    expect(mail.html).toContain('<p>Sign in at https://a.test/login</p>');
  });

  it('stops the start with the variable name when the directory is missing', () => {
    expect(() => loadTemplates('/nonexistent/gatehouse-templates')).toThrow(/GATEHOUSE_MAIL_TEMPLATES/);
  });
});
