import type { ConsoleSession } from '../../../core/admin/console-sessions.js';
import { locales, type Locale } from '../../../core/locales.js';
import type { Translate } from '../../../i18n/index.js';
import { displayName } from '../../../core/users/user.js';
import { assetUrl } from './assets.js';
import { html, raw, type Html } from './html.js';

export type Section = 'overview' | 'users' | 'audit' | 'mail' | 'system' | 'settings' | 'service-keys' | 'oidc-clients' | 'webhooks';

export interface Notice {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

export interface PageSpec {
  title: string;
  section?: Section;
  /** Buttons or links beside the heading. */
  actions?: Html;
  notice?: Notice;
  body: Html;
}

/** The language a console page speaks (console-kit.ts consoleSpeech): its tag and its translator. */
export interface Speech {
  locale: Locale;
  t: Translate;
}

export interface PageContext extends Speech {
  session: ConsoleSession;
  productName: string;
  /** The console path the page was asked for, where the language form returns to (console-kit.ts safeNext). */
  path: string;
}

// 24px stroke icons, drawn here so no asset is fetched for them.
const icon = (d: string) => raw(`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${d}"/></svg>`);
const icons: Record<Section, Html> = {
  overview: icon('M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z'),
  users: icon('M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8'),
  audit: icon('M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6M8 13h8M8 17h8M8 9h2'),
  mail: icon('M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM22 6l-10 7L2 6'),
  system: icon('M22 12h-4l-3 9L9 3l-3 9H2'),
  settings: icon('M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3M1 14h6M9 8h6M17 16h6'),
  'service-keys': icon('M21 2l-2 2m-7.6 7.6a5.5 5.5 0 1 1-7.8 7.8 5.5 5.5 0 0 1 7.8-7.8zm0 0L15.5 7.5m0 0l3 3L22 7l-3-3m-3.5 3.5L19 4'),
  'oidc-clients': icon('M10 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h5M16 17l5-5-5-5M21 12H9'),
  webhooks: icon('M18 16.1A4 4 0 1 1 14 20H8M6 17.9A4 4 0 1 1 9.9 12L13 6.6M15.9 9A4 4 0 1 1 18 3'),
};
/** The sections, their labels (English msgids, rendered through `t`) and paths. */
export const navItems: readonly [Section, string, string][] = [
  ['overview', 'Overview', '/admin'],
  ['users', 'Users', '/admin/users'],
  ['audit', 'Audit log', '/admin/audit'],
  ['mail', 'Mail outbox', '/admin/mail'],
  ['system', 'System', '/admin/system'],
  ['settings', 'Settings', '/admin/settings'],
  ['service-keys', 'Service keys', '/admin/service-keys'],
  ['oidc-clients', 'OpenID clients', '/admin/oidc-clients'],
  ['webhooks', 'Webhooks', '/admin/webhooks'],
];

const logo = raw('<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8"/><path d="M9 24V13l7-5 7 5v11h-5v-6h-4v6z"/></svg>');

/** Each shipped language in its own words (not translated: a reader looks for their own language's name). */
export const languageNames: Readonly<Record<Locale, string>> = { en: 'English', fr: 'Français' };

function document(speech: Speech, title: string, productName: string, bodyClass: string, content: Html): string {
  const { locale, t } = speech;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${t('{{title}} · {{product}} admin', { title, product: productName })}</title>
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl('console.css')}">
<script src="${assetUrl('console.js')}" defer></script>
</head>
<body class="${bodyClass}">
${content}
</body>
</html>
`.value;
}

export function noticeBox(notice: Notice | undefined): Html {
  if (!notice) return html``;
  return html`<div class="notice notice-${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</div>`;
}

/**
 * The staff member's own language (POST /admin/language stores users.locale): a plain form, so it
 * works without script; "Browser default" clears the stored choice.
 */
function languageForm(ctx: PageContext): Html {
  const { t } = ctx;
  const stored = ctx.session.user.locale ?? '';
  const options: [string, string][] = [['', t('Browser default')], ...locales.map((l): [string, string] => [l, languageNames[l]])];
  return html`<form method="post" action="/admin/language" class="language-form">
        <input type="hidden" name="_csrf" value="${ctx.session.csrfToken}">
        <input type="hidden" name="next" value="${ctx.path}">
        <label for="console-locale">${t('Language')}</label>
        <select id="console-locale" name="locale">${options.map(([value, label]) => html`<option value="${value}"${value === stored ? html` selected` : ''}${value ? html` lang="${value}"` : ''}>${label}</option>`)}</select>
        <button type="submit" class="btn btn-ghost btn-small">${t('Change language')}</button>
      </form>`;
}

/** A signed-in console page: navigation, who is signed in, sign-out, then the page. */
export function consolePage(ctx: PageContext, spec: PageSpec): string {
  const { t } = ctx;
  const user = ctx.session.user;
  const role = user.is_superuser ? t('Superuser') : t('Staff');
  const nav = navItems.map(([key, label, href]) => html`<a href="${href}"${raw(spec.section === key ? ' aria-current="page"' : '')}>${icons[key]}<span>${t(label)}</span></a>`);
  return document(ctx, spec.title, ctx.productName, 'console', html`<a class="skip" href="#main">${t('Skip to content')}</a>
<div class="shell">
  <aside class="sidebar"><div class="sidebar-inner">
    <a class="brand" href="/admin">${logo}<span>${ctx.productName}</span><small>${t('admin')}</small></a>
    <nav aria-label="${t('Console sections')}">${nav}</nav>
    <div class="whoami">
      <div><span class="whoami-name">${displayName(user)}</span><span class="badge badge-muted">${role}</span></div>
      <form method="post" action="/admin/logout">
        <input type="hidden" name="_csrf" value="${ctx.session.csrfToken}">
        <button type="submit" class="btn btn-ghost btn-small">${t('Sign out')}</button>
      </form>
      ${languageForm(ctx)}
    </div>
  </div></aside>
  <main id="main" tabindex="-1">
    <header class="page-head"><h1>${spec.title}</h1>${spec.actions ? html`<div class="page-actions">${spec.actions}</div>` : ''}</header>
    ${noticeBox(spec.notice)}
    ${spec.body}
  </main>
</div>`);
}

/** A page outside the signed-in shell: sign-in and error pages. */
export function barePage(speech: Speech, productName: string, title: string, content: Html): string {
  return document(speech, title, productName, 'bare', html`<main id="main" class="bare-main">
  <div class="bare-brand">${logo}<span>${productName}</span><small>${speech.t('admin')}</small></div>
  ${content}
</main>`);
}

/** The hidden CSRF field every console form carries. */
export function csrfField(session: ConsoleSession): Html {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
}
