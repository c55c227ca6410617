import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Core } from '../core/core.js';
import { html } from '../http/admin/console/html.js';
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
  return {
    logoutSource(ctx: KoaContextWithOIDC, _form: string): void {
      const state = (ctx.oidc.session?.state ?? {}) as { secret?: string };
      const action = ctx.oidc.urlFor('end_session_confirm');
      const name = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
      const redirect = originOf(ctx.oidc.params?.post_logout_redirect_uri);
      send(ctx, hostedPage(core.config.productName, 'Sign out', html`<h1>Sign out?</h1>
<p>${name ? html`<strong>${String(name)}</strong> asks to sign you out.` : 'An application asks to sign you out.'} Signing out ends your sign-in here and in every application you used it for.</p>
<form method="post" action="${action}" class="stack">
  <input type="hidden" name="xsrf" value="${state.secret ?? ''}">
  <button type="submit" name="logout" value="yes" class="btn btn-primary btn-block" autofocus>Sign out</button>
  <button type="submit" class="btn btn-secondary btn-block">Stay signed in</button>
</form>`), redirect);
    },
    postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
      const name = ctx.oidc.client?.clientName;
      send(ctx, hostedPage(core.config.productName, 'Signed out', html`<h1>You have signed out</h1>
<p>${name ? html`You have signed out of <strong>${String(name)}</strong>.` : 'You have signed out.'} You can close this window.</p>`));
    },
  };
}
