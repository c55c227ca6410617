/** Template variables: strings only, so nothing is formatted behind the template author's back. */
export type TemplateVars = Readonly<Record<string, string | undefined>>;

const sectionPattern = /\{\{#([A-Za-z0-9_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const placeholderPattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEntities[c]!);
}

/**
 * Fills `{{name}}` placeholders; `{{#name}}…{{/name}}` keeps its content only when `name`
 * is non-empty (so a link-only reset mail has no empty "Your code:" line). A missing
 * variable renders as nothing rather than leaking template syntax into a user's inbox.
 */
export function fillTemplate(template: string, vars: TemplateVars, escape: (value: string) => string = (v) => v): string {
  const withSections = template.replace(sectionPattern, (_, name: string, body: string) => (vars[name] ? body : ''));
  return withSections.replace(placeholderPattern, (_, name: string) => escape(vars[name] ?? ''));
}

/** Subjects are one header line: newlines and runs of spaces collapse to one space. */
export function fillSubject(template: string, vars: TemplateVars): string {
  return fillTemplate(template, vars).replace(/\s+/g, ' ').trim();
}
