import type { Translate } from '../../../i18n/index.js';

/** HTML built from tagged templates: every interpolated value is escaped unless it is itself Html. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (built by this module's callers from escaped parts). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A query string from the non-empty values of `params`. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A time in UTC for the page; the console's script rewrites it in the reader's time zone. */
export function time(ms: number | null | undefined, empty = '—'): Html {
  if (ms === null || ms === undefined) return html`<span class="muted">${empty}</span>`;
  const d = new Date(ms);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  return html`<time datetime="${d.toISOString()}">${text}</time>`;
}

/**
 * A translated sentence with markup inside (a name in <strong>): the sentence is escaped, then the
 * Html parts go where its `{{placeholders}}` were, so a translation can move them.
 */
export function translateHtml(t: Translate, text: string, parts: Record<string, Html>): Html {
  const names = Object.keys(parts);
  let out = escapeHtml(t(text, Object.fromEntries(names.map((name, i) => [name, `\u0001${i}\u0001`]))));
  names.forEach((name, i) => {
    out = out.replaceAll(`\u0001${i}\u0001`, parts[name]!.value);
  });
  return raw(out);
}
