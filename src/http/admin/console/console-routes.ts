import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/core.js';
import { AuthError } from '../../../core/errors.js';
import { consoleAssets } from './assets.js';
import { auditPage } from './audit-page.js';
import { consoleHeaders } from './console-kit.js';
import { languageRoute } from './language-route.js';
import { mailPages } from './mail-pages.js';
import { overviewPage } from './overview-page.js';
import { settingsPage } from './settings-page.js';
import { signInRoutes } from './sign-in-pages.js';
import { systemPage } from './system-page.js';
import { userActionRoutes } from './user-action-routes.js';
import { userDetailPage } from './user-detail-page.js';
import { usersPage } from './users-page.js';

/** The web console at /admin: server-rendered pages over the same core calls as the admin API. */
export async function consoleRoutes(app: FastifyInstance, core: Core): Promise<void> {
  const assets = consoleAssets();

  app.get('/admin/assets/:name', {
    schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } },
  }, async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) throw new AuthError('not_found');
    const versioned = (request.query as { v?: string }).v === asset.url.split('v=')[1];
    reply
      .header('etag', asset.etag)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  });

  app.get('/admin/', { schema: { hide: true } }, async (_request, reply) => reply.code(308).headers(consoleHeaders).header('location', '/admin').send());

  signInRoutes(app, core);
  languageRoute(app, core);
  overviewPage(app, core);
  usersPage(app, core);
  userActionRoutes(app, core);
  userDetailPage(app, core);
  auditPage(app, core);
  mailPages(app, core);
  systemPage(app, core);
  settingsPage(app, core);
}
