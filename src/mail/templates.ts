import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import type { MailKind } from '../core/context.js';
import { escapeHtml, fillSubject, fillTemplate, type TemplateVars } from './render.js';
import { builtInTemplates, mailKinds } from './templates/index.js';
import type { MailTemplate } from './templates/template.js';

export type { MailTemplate } from './templates/template.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type MailTemplates = Readonly<Record<MailKind, MailTemplate>>;

/**
 * The built-in templates, with `<kind>.subject.txt`, `<kind>.txt` and `<kind>.html` from
 * `dir` replacing them file by file. Read once at start, so a bad directory stops the start.
 */
export function loadTemplates(dir?: string): MailTemplates {
  if (dir === undefined) return builtInTemplates;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError('GATEHOUSE_MAIL_TEMPLATES', `"${dir}" is not a directory`);
  }
  const read = (name: string): string | undefined => {
    const file = join(dir, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const out = {} as Record<MailKind, MailTemplate>;
  for (const kind of mailKinds) {
    const builtIn = builtInTemplates[kind];
    const subject = read(`${kind}.subject.txt`);
    const text = read(`${kind}.txt`);
    const html = read(`${kind}.html`);
    out[kind] = {
      subject: subject ?? builtIn.subject,
      text: text ?? builtIn.text,
      // A custom text with the stock HTML would show most readers the stock words: derive HTML from it.
      html: html ?? (text !== undefined ? textAsHtml(text) : builtIn.html),
    };
  }
  return out;
}

/** Plain text as minimal HTML: placeholders stay placeholders, so values are still escaped when filled. */
function textAsHtml(text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`);
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/** Fills one template; values are HTML-escaped in the HTML body only. */
export function renderMail(template: MailTemplate, vars: TemplateVars): RenderedMail {
  return {
    subject: fillSubject(template.subject, vars),
    text: fillTemplate(template.text, vars),
    html: fillTemplate(template.html, vars, escapeHtml),
  };
}
