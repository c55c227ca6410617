import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Core } from '../../core/core.js';
import { errorCatalog, type AuthError } from '../../core/errors.js';
import { localeOf, type Locale } from '../../core/locales.js';
import type { ErrorRenderer } from '../../http/errors.js';
import { requestLocale } from '../../http/locale.js';
import { translateMessage, translator } from '../../i18n/index.js';
import type { SessionLinks } from '../backchannel-links.js';
import { interactionCsrf, loadInteraction, type Interaction } from './interaction-kit.js';
import { hostedHeaders, hostedPage, messageBody, originOf, sendHosted, type ClientFacts, type Translate } from './pages.js';

/** What every interaction route shares. */
export interface Hosted {
  core: Core;
  provider: Provider;
  links: SessionLinks;
}

/**
 * The language a hosted page speaks: the first shipped one of the authorization request's
 * `ui_locales` (OpenID Connect Core §3.1.2.1, space-separated, preferred first), else the
 * request's own (`?lang=`, Accept-Language: http/locale.ts), else the deployment's default.
 */
export function hostedLocale(core: Pick<Core, 'config'>, request: Pick<FastifyRequest, 'headers' | 'query'>, params: Record<string, unknown> = {}): Locale {
  const asked = typeof params.ui_locales === 'string' ? params.ui_locales.split(' ', 16).map(localeOf).find((l) => l !== undefined) : undefined;
  return asked ?? requestLocale(request) ?? core.config.defaultLocale;
}

/** The language chosen for a request once its interaction is known, so an error page after that speaks it too. */
const chosenLocales = new WeakMap<FastifyRequest, Locale>();

/** The interaction this browser is in (interaction-kit.ts), its pages' language noted for the request. */
export async function openInteraction(h: Hosted, request: FastifyRequest, reply: FastifyReply): Promise<Interaction> {
  const details = await loadInteraction(h.provider, request, reply);
  chosenLocales.set(request, hostedLocale(h.core, request, details.params));
  return details;
}

/** The relying party as the pages name it. */
export async function clientFacts(provider: Provider, details: Interaction, t: Translate): Promise<ClientFacts> {
  const clientId = String(details.params.client_id ?? '');
  const client = clientId ? await provider.Client.find(clientId).catch(() => undefined) : undefined;
  const name = client?.clientName ?? clientId;
  return { name: typeof name === 'string' && name ? name : t('the application'), ...(typeof client?.clientUri === 'string' ? { uri: client.clientUri } : {}) };
}

/** Renders one step's page for this interaction: its language, its CSRF token, and its relying party's origin allowed as a form's last stop. */
export function stepPage(h: Hosted, request: FastifyRequest, details: Interaction) {
  const locale = hostedLocale(h.core, request, details.params);
  return {
    locale,
    t: translator(locale),
    csrf: interactionCsrf(h.core, details.uid),
    action: `/oidc/interaction/${details.uid}`,
    send(reply: FastifyReply, status: number, title: string, body: Parameters<typeof hostedPage>[3], scripts: string[] = []): FastifyReply {
      return sendHosted(reply, status, hostedPage(h.core.config.productName, locale, title, body, scripts), hostedHeaders(originOf(details.params.redirect_uri), scripts.length > 0));
    },
  };
}

/** What an error says to a person, in their language: its field messages when it has any, else its message (core's words, translated). */
export function errorText(locale: Locale, err: AuthError): string {
  const fields = Object.values(err.fields ?? {}).flat();
  return (fields.length ? fields : [err.message || errorCatalog[err.code].title]).map((m) => translateMessage(locale, m)).join(' ');
}

/** Errors on interaction routes render as a hosted page (no JSON for a browser mid-sign-in), in the interaction's language when it was known. */
export function hostedErrorRenderer(core: Core): ErrorRenderer {
  return (err: AuthError, request: FastifyRequest) => {
    const locale = chosenLocales.get(request) ?? hostedLocale(core, request);
    const title = translator(locale)(errorCatalog[err.code].title);
    const headers = hostedHeaders();
    if (typeof err.facts.retryAfter === 'number') headers['retry-after'] = String(err.facts.retryAfter);
    return { status: err.status, body: hostedPage(core.config.productName, locale, title, messageBody(title, errorText(locale, err))), contentType: 'text/html; charset=utf-8', headers };
  };
}
