import type { FastifyReply } from 'fastify';
import type Provider from 'oidc-provider';
import type { Core } from '../../core/core.js';
import { errorCatalog, type AuthError } from '../../core/errors.js';
import type { ErrorRenderer } from '../../http/errors.js';
import type { SessionLinks } from '../backchannel-links.js';
import { interactionCsrf, type Interaction } from './interaction-kit.js';
import { hostedHeaders, hostedPage, messageBody, originOf, sendHosted, type ClientFacts } from './pages.js';

/** What every interaction route shares. */
export interface Hosted {
  core: Core;
  provider: Provider;
  links: SessionLinks;
}

/** The relying party as the pages name it. */
export async function clientFacts(provider: Provider, details: Interaction): Promise<ClientFacts> {
  const clientId = String(details.params.client_id ?? '');
  const client = clientId ? await provider.Client.find(clientId).catch(() => undefined) : undefined;
  const name = client?.clientName ?? clientId;
  return { name: typeof name === 'string' && name ? name : 'the application', ...(typeof client?.clientUri === 'string' ? { uri: client.clientUri } : {}) };
}

/** Renders one step's page for this interaction: its CSRF token, and its relying party's origin allowed as a form's last stop. */
export function stepPage(h: Hosted, details: Interaction) {
  return {
    csrf: interactionCsrf(h.core, details.uid),
    action: `/oidc/interaction/${details.uid}`,
    send(reply: FastifyReply, status: number, title: string, body: Parameters<typeof hostedPage>[2], scripts: string[] = []): FastifyReply {
      return sendHosted(reply, status, hostedPage(h.core.config.productName, title, body, scripts), hostedHeaders(originOf(details.params.redirect_uri), scripts.length > 0));
    },
  };
}

/** Errors on interaction routes render as a hosted page (no JSON for a browser mid-sign-in). */
export function hostedErrorRenderer(core: Core): ErrorRenderer {
  return (err: AuthError) => {
    const fields = Object.values(err.fields ?? {}).flat();
    const text = fields.length ? fields.join(' ') : err.message || errorCatalog[err.code].title;
    const headers = hostedHeaders();
    if (typeof err.facts.retryAfter === 'number') headers['retry-after'] = String(err.facts.retryAfter);
    return { status: err.status, body: hostedPage(core.config.productName, errorCatalog[err.code].title, messageBody(errorCatalog[err.code].title, text)), contentType: 'text/html; charset=utf-8', headers };
  };
}

