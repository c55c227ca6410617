import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import type { MailKind } from '../core/context.js';
import { escapeHtml, fillSubject, fillTemplate, type TemplateVars } from './render.js';
import { locales, type Locale } from '../core/locales.js';
import { builtInTemplates, mailKinds } from './templates/index.js';
import { frenchTemplates } from './templates/fr/index.js';
import type { MailTemplate } from './templates/template.js';

export type { MailTemplate } from './templates/template.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type MailTemplates = Readonly<Record<MailKind, MailTemplate>>;

/** Every shipped language's full set of templates. */
export type LocalizedTemplates = Readonly<Record<Locale, MailTemplates>>;

const builtInByLocale: Readonly<Record<Locale, Partial<Record<MailKind, MailTemplate>>>> = { en: builtInTemplates, fr: frenchTemplates };

/** The built-in templates of `locale`, each kind it lacks in English. */
export function builtInFor(locale: Locale): MailTemplates {
  const own = builtInByLocale[locale];
  return Object.fromEntries(mailKinds.map((kind) => [kind, own[kind] ?? builtInTemplates[kind]])) as Record<MailKind, MailTemplate>;
}

/**
 * The built-in templates of every language, with files from `dir` replacing them file by file:
 * `<dir>/<lang>/<kind>.subject.txt`, `.txt` and `.html` for a language, and for English also
 * `<dir>/<kind>.…` as before languages existed. A language's files never fall back to another
 * language's custom files (a French reader gets the French built-in, not a custom English text).
 * Read once at start, so a bad directory stops the start.
 */
export function loadTemplates(dir?: string): LocalizedTemplates {
  const sets = Object.fromEntries(locales.map((locale) => [locale, builtInFor(locale)])) as Record<Locale, MailTemplates>;
  if (dir === undefined) return sets;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError('GATEHOUSE_MAIL_TEMPLATES', `"${dir}" is not a directory`);
  }
  const read = (...parts: string[]): string | undefined => {
    const file = join(dir, ...parts);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const out = {} as Record<Locale, MailTemplates>;
  for (const locale of locales) {
    const set = {} as Record<MailKind, MailTemplate>;
    const file = (name: string) => read(locale, name) ?? (locale === 'en' ? read(name) : undefined);
    for (const kind of mailKinds) {
      const builtIn = sets[locale][kind];
      const subject = file(`${kind}.subject.txt`);
      const text = file(`${kind}.txt`);
      const html = file(`${kind}.html`);
      set[kind] = {
        subject: subject ?? builtIn.subject,
        text: text ?? builtIn.text,
        // A custom text with the stock HTML would show most readers the stock words: derive HTML from it.
        html: html ?? (text !== undefined ? textAsHtml(text, locale) : builtIn.html),
      };
    }
    out[locale] = set;
  }
  return out;
}

/** Plain text as minimal HTML: placeholders stay placeholders, so values are still escaped when filled. */
function textAsHtml(text: string, lang: Locale): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`);
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"></head><body>\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/** Fills one template; values are HTML-escaped in the HTML body only. */
export function renderMail(template: MailTemplate, vars: TemplateVars): RenderedMail {
  return {
    subject: fillSubject(template.subject, vars),
    text: fillTemplate(template.text, vars),
    html: fillTemplate(template.html, vars, escapeHtml),
  };
}
