import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { AuthError } from '../../core/errors.js';
import { requestLocale } from '../locale.js';
import { pageCsp } from '../security-headers.js';
import { accountAssets } from './account-assets.js';
import { accountPage } from './account-page.js';

/**
 * Headers of the account page: its own scripts and styles only, same-origin API calls, no form
 * ever submitted (the script sends JSON), never cached. Framing, nosniff and COOP are server-wide.
 */
export const accountHeaders: Record<string, string> = {
  'content-security-policy': pageCsp({ noForms: true }),
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The hosted account page at /account: one server-rendered page whose script signs in through
 * the /v1 API (password, second factor, passkey), holds the tokens in memory only, and manages
 * the account's passkeys and authenticator app. Its assets are served from /account/assets.
 */
export function accountRoutes(app: FastifyInstance, core: Core): void {
  const assets = accountAssets();

  app.get('/account/assets/:name', {
    schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } },
  }, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) throw new AuthError('not_found');
    const versioned = (request.query as { v?: string }).v === asset.url.split('v=')[1];
    reply
      .header('etag', asset.etag)
      .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  });

  // In the language the browser asks for (or ?lang=), else the deployment's default.
  app.get('/account', { schema: { hide: true } }, async (request, reply) =>
    reply
      .headers(accountHeaders)
      .header('vary', 'accept-language')
      .type('text/html; charset=utf-8')
      .send(accountPage(core.config.productName, requestLocale(request) ?? core.config.defaultLocale)));
}
