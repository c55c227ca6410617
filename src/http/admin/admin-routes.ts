import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { adminAuditRoutes } from './api-audit.js';
import { adminSystemRoutes } from './api-system.js';
import { adminUserActionRoutes } from './api-user-actions.js';
import { adminUserMfaRoutes } from './api-user-mfa.js';
import { adminUserRoutes } from './api-users.js';
import { adminUserInviteRoutes } from './api-user-invite.js';
import { adminUserExportRoutes } from './api-user-export.js';
import { adminServiceKeyRoutes } from './api-service-keys.js';
import { serviceKeysPage } from './console/service-keys-page.js';
import { adminWebhookRoutes } from './api-webhooks.js';
import { webhooksPage } from './console/webhooks-page.js';
import { adminOidcClientRoutes } from './api-oidc-clients.js';
import { oidcClientsPage } from './console/oidc-clients-page.js';
import { invitePage } from './console/invite-page.js';
import { consoleRoutes } from './console/console-routes.js';

/** The admin API (/v1/admin/…) and the web console (/admin), in one scope that parses cookies. */
export async function adminRoutes(app: FastifyInstance, core: Core): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(cookie);
    adminUserExportRoutes(scope, core);
    adminUserRoutes(scope, core);
    adminUserInviteRoutes(scope, core);
    adminUserActionRoutes(scope, core);
    adminUserMfaRoutes(scope, core);
    adminSystemRoutes(scope, core);
    adminAuditRoutes(scope, core);
    adminServiceKeyRoutes(scope, core);
    serviceKeysPage(scope, core);
    adminWebhookRoutes(scope, core);
    webhooksPage(scope, core);
    adminOidcClientRoutes(scope, core);
    oidcClientsPage(scope, core);
    invitePage(scope, core);
    await consoleRoutes(scope, core);
  });
}
