import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Core } from '../core/core.js';
import { html } from '../http/admin/console/html.js';
import { translator } from '../i18n/index.js';
import { hostedLocale } from './interactions/hosted-context.js';
import { translateHtml } from '../http/admin/console/html.js';
import { hostedHeaders, hostedPage, originOf } from './interactions/pages.js';

function send(ctx: KoaContextWithOIDC, page: string, formTargets: string[] = []): void {
  for (const [name, value] of Object.entries(hostedHeaders(formTargets))) ctx.set(name, value);
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page;
}

/**
 * The provider's RP-initiated logout pages (`features.rpInitiatedLogout.logoutSource` and
 * `postLogoutSuccessSource`) in the hosted pages' look. "Sign out" ends the provider session and,
 * through the provider hook, the Gatehouse session behind it (so every relying party hears it);
 * "Stay signed in" only ends this application's sign-in, as the provider's own page does.
 */
export function logoutPages(core: Pick<Core, 'config'>) {
  // The end-session request's ui_locales (RP-Initiated Logout §2), else the browser's language, as on the sign-in pages.
  const localeOf = (ctx: KoaContextWithOIDC) => hostedLocale(core, { headers: ctx.headers, query: ctx.query }, (ctx.oidc.params ?? {}) as Record<string, unknown>);
  return {
    logoutSource(ctx: KoaContextWithOIDC, _form: string): void {
      const state = (ctx.oidc.session?.state ?? {}) as { secret?: string };
      const action = ctx.oidc.urlFor('end_session_confirm');
      const name = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
      const redirect = originOf(ctx.oidc.params?.post_logout_redirect_uri);
      const locale = localeOf(ctx);
      const t = translator(locale);
      send(ctx, hostedPage(core.config.productName, locale, t('Sign out'), html`<h1>${t('Sign out?')}</h1>
<p>${name ? translateHtml(t, '{{client}} asks to sign you out.', { client: html`<strong>${String(name)}</strong>` }) : t('An application asks to sign you out.')} ${t('Signing out ends your sign-in here and in every application you used it for.')}</p>
<form method="post" action="${action}" class="stack">
  <input type="hidden" name="xsrf" value="${state.secret ?? ''}">
  <button type="submit" name="logout" value="yes" class="btn btn-primary btn-block" autofocus>${t('Sign out')}</button>
  <button type="submit" class="btn btn-secondary btn-block">${t('Stay signed in')}</button>
</form>`), redirect);
    },
    postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
      const name = ctx.oidc.client?.clientName;
      const locale = localeOf(ctx);
      const t = translator(locale);
      send(ctx, hostedPage(core.config.productName, locale, t('Signed out'), html`<h1>${t('You have signed out')}</h1>
<p>${name ? translateHtml(t, 'You have signed out of {{client}}.', { client: html`<strong>${String(name)}</strong>` }) : t('You have signed out.')} ${t('You can close this window.')}</p>`));
    },
  };
}
