import type { FastifyReply } from 'fastify';
import { assetUrl } from '../../http/admin/console/assets.js';
import type { Locale } from '../../core/locales.js';
import { html, raw, translateHtml, type Html } from '../../http/admin/console/html.js';
import { noticeBox, type Notice } from '../../http/admin/console/layout.js';
import { passkeyStepCatalogue } from '../../http/account/account-messages.js';
import { pageCsp } from '../../http/security-headers.js';
import type { Translate } from '../../i18n/index.js';

export type { Notice, Translate };

/**
 * The hosted pages' headers: the console's stylesheet and nothing else, no script (a passkey step
 * adds its own same-origin script), never framed or cached. A form may post here and be
 * redirected on to the relying party, so that origin joins form-action (browsers apply it to the
 * redirects after a submission).
 */
export function hostedHeaders(formTargets: readonly string[] = [], scripts = false): Record<string, string> {
  // Never framed, nosniff, COOP: server-wide (http/security-headers.ts).
  return {
    'content-security-policy': pageCsp({ scripts, formTargets }),
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** An origin a form's redirect chain may end at, from a redirect URI the provider already checked. */
export function originOf(uri: unknown): string[] {
  if (typeof uri !== 'string') return [];
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? [url.origin] : [];
  } catch {
    return [];
  }
}

const logo = raw('<svg class="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8"/><path d="M9 24V13l7-5 7 5v11h-5v-6h-4v6z"/></svg>');

/** The console's bare page (sign-in look) without its script or the "admin" mark. */
export function hostedPage(productName: string, locale: Locale, title: string, content: Html, scripts: string[] = []): string {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${productName}</title>
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl('console.css')}">
${scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body class="bare">
<main id="main" class="bare-main">
  <div class="bare-brand">${logo}<span>${productName}</span></div>
  <div class="card bare-card">${content}</div>
</main>
</body>
</html>
`.value;
}

export function sendHosted(reply: FastifyReply, status: number, page: string, headers: Record<string, string>): FastifyReply {
  return reply.code(status).headers(headers).type('text/html; charset=utf-8').send(page);
}

export interface ClientFacts {
  name: string;
  /** The relying party's home page, when it registered one. */
  uri?: string;
}

const csrf = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export function signInBody(t: Translate, v: { action: string; csrf: string; client: ClientFacts; login: string; notice?: Notice; forgotUrl: string }): Html {
  return html`<h1>${t('Sign in')}</h1>
<p class="muted">${t('to continue to {{client}}', { client: v.client.name })}</p>
${noticeBox(v.notice)}
<form method="post" action="${v.action}" class="stack">
  ${csrf(v.csrf)}
  <div class="field">
    <label for="login">${t('Username or email')}</label>
    <input id="login" name="login" type="text" autocomplete="username" required maxlength="254" value="${v.login}" autofocus>
  </div>
  <div class="field">
    <label for="password">${t('Password')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="4096">
  </div>
  <button type="submit" class="btn btn-primary btn-block">${t('Sign in')}</button>
</form>
<p class="small"><a href="${v.forgotUrl}">${t('Forgot your password?')}</a></p>`;
}

/** Labels the pages translate with `t(...)` (the language test checks each has a French entry). */
export const factorLabels: Record<string, string> = { totp: 'Authenticator app code', recovery_code: 'Recovery code' };

export function factorBody(t: Translate, v: { action: string; csrf: string; mfaToken: string; factors: readonly string[]; chosen: string; notice?: Notice; passkeyScript?: boolean }): Html {
  const typed: string[] = v.factors.filter((f) => f === 'totp' || f === 'recovery_code');
  const chosen = typed.includes(v.chosen) ? v.chosen : typed[0];
  const others = typed.filter((f) => f !== chosen);
  return html`<h1>${t('Two-step verification')}</h1>
<p class="muted">${t('Your password was right. One more step to sign in.')}</p>
${noticeBox(v.notice)}
${chosen ? html`<form method="post" action="${v.action}" class="stack">
  ${csrf(v.csrf)}
  <input type="hidden" name="mfa_token" value="${v.mfaToken}">
  <input type="hidden" name="factor" value="${chosen}">
  <div class="field">
    <label for="code">${t(factorLabels[chosen]!)}</label>
    <input id="code" name="code" type="text" ${raw(chosen === 'totp' ? 'inputmode="numeric" autocomplete="one-time-code" maxlength="10"' : 'autocomplete="off" maxlength="64"')} required autofocus>
  </div>
  <button type="submit" class="btn btn-primary btn-block">${t('Verify')}</button>
</form>` : ''}
${others.map((f) => html`<form method="post" action="${v.action}/switch" class="stack">
  ${csrf(v.csrf)}
  <input type="hidden" name="mfa_token" value="${v.mfaToken}">
  <input type="hidden" name="factor" value="${f}">
  <button type="submit" class="btn btn-ghost btn-block">${f === 'totp' ? t('Use a code from your authenticator app instead') : t('Use a recovery code instead')}</button>
</form>`)}
${v.passkeyScript ? html`<form method="post" action="${v.action}/passkey" data-passkey-step data-options-url="${v.action}/passkey/options" data-response-field="response" data-i18n="${passkeyStepCatalogue(t)}"><input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="mfa_token" value="${v.mfaToken}"><input type="hidden" name="response" value=""><div data-passkey-block hidden><button type="button" class="btn btn-secondary btn-block" data-passkey-button>${t('Use a passkey')}</button></div><p class="notice notice-error" role="alert" data-passkey-error hidden></p></form>` : ''}`;
}

/** What a scope lets the relying party see, in words. */
export const scopeWords: Record<string, string> = {
  openid: 'Know who you are (your account id)',
  profile: 'Your name and profile details',
  email: 'Your email address and whether it is verified',
  phone: 'Your phone number',
  address: 'Your postal address',
  offline_access: 'Stay signed in when you are not using it',
};

export function consentBody(t: Translate, v: { action: string; csrf: string; client: ClientFacts; scopes: string[]; claims: string[]; user: string }): Html {
  const items = [
    ...v.scopes.map((s) => (scopeWords[s] ? t(scopeWords[s]) : t('Scope “{{scope}}”', { scope: s }))),
    ...(v.claims.length ? [t('These details: {{claims}}', { claims: v.claims.join(', ') })] : []),
  ];
  return html`<h1>${t('Allow access?')}</h1>
<p>${translateHtml(t, '{{client}} wants to use your account {{user}}.', { client: html`<strong>${v.client.name}</strong>`, user: html`<strong>${v.user}</strong>` })}</p>
${v.client.uri ? html`<p class="small muted">${v.client.uri}</p>` : ''}
<p>${t('It asks to:')}</p>
<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>
<form method="post" action="${v.action}" class="stack">
  ${csrf(v.csrf)}
  <button type="submit" name="decision" value="allow" class="btn btn-primary btn-block">${t('Allow')}</button>
  <button type="submit" name="decision" value="deny" class="btn btn-secondary btn-block">${t('Deny')}</button>
</form>`;
}

export function messageBody(title: string, text: string): Html {
  return html`<h1>${title}</h1>
<p>${text}</p>`;
}
