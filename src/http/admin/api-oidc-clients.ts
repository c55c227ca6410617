import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { createOidcClient, getOidcClient, listAllOidcClients, oidcAuthMethods, oidcClientIdPattern, oidcGrantTypes, revokeOidcClientById, type OidcClientInput, type OidcClientView } from '../../core/oidc-clients.js';
import { body, problems, str } from '../schemas.js';
import { iso } from '../views.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';

const strings = (maxItems: number, maxLength: number, items: Record<string, unknown> = {}) => ({ type: 'array', maxItems, items: { type: 'string', maxLength, ...items } }) as const;

export const oidcClientSchema = {
  type: 'object',
  properties: {
    client_id: { type: 'string' },
    name: { type: 'string' },
    redirect_uris: { type: 'array', items: { type: 'string' } },
    post_logout_redirect_uris: { type: 'array', items: { type: 'string' } },
    grant_types: { type: 'array', items: { type: 'string', enum: [...oidcGrantTypes] } },
    scopes: { type: 'array', items: { type: 'string' }, description: 'OpenID scopes the client may ask for' },
    api_scopes: { type: 'array', items: { type: 'string' }, description: 'scopes it may ask for with client credentials' },
    auth_method: { type: 'string', enum: [...oidcAuthMethods] },
    public: { type: 'boolean' },
    first_party: { type: 'boolean', description: 'the operator\'s own app: no consent page' },
    access_token_ttl: { type: ['integer', 'null'] },
    refresh_token_ttl: { type: ['integer', 'null'] },
    backchannel_logout_uri: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    created_by: { type: ['integer', 'null'] },
    revoked_at: { type: ['string', 'null'] },
  },
} as const;

export const oidcClientApiView = (c: OidcClientView) => ({ ...c, created_at: iso(c.created_at)!, revoked_at: iso(c.revoked_at) });

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: oidcClientIdPattern } }, required: ['id'] } as const;
const tags = ['admin: OpenID clients'];

/** OpenID Connect / OAuth clients (relying parties) of the provider under /oidc. */
export function adminOidcClientRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');
  const superuser = adminApiGuard(core, 'superuser');

  app.get('/v1/admin/oidc/clients', {
    schema: { tags, summary: 'OpenID clients', description: `Newest first, revoked ones included. ${requires('staff')}`, security: adminSecurity, response: { 200: { type: 'object', properties: { items: { type: 'array', items: oidcClientSchema } } }, ...problems(401, 403) } },
    preHandler: staff,
  }, async () => ({ items: (await listAllOidcClients(core)).map(oidcClientApiView) }));

  app.get('/v1/admin/oidc/clients/:id', {
    schema: { tags, summary: 'One OpenID client', description: requires('staff'), security: adminSecurity, params: idParams, response: { 200: oidcClientSchema, ...problems(400, 401, 403, 404) } },
    preHandler: staff,
  }, async (request) => oidcClientApiView(await getOidcClient(core, (request.params as { id: string }).id)));

  app.post('/v1/admin/oidc/clients', {
    schema: {
      tags,
      summary: 'Register an OpenID client',
      description: `Redirect URIs match exactly. A confidential client's secret is in this answer only: it is stored as a digest. ${requires('superuser')}`,
      security: adminSecurity,
      body: body({
        name: str(100),
        redirect_uris: strings(10, 2000),
        post_logout_redirect_uris: strings(10, 2000),
        grant_types: strings(3, 40),
        scopes: strings(4, 40),
        api_scopes: strings(20, 64),
        auth_method: str(40),
        public: { type: 'boolean' },
        first_party: { type: 'boolean' },
        access_token_ttl: { type: ['integer', 'null'] },
        refresh_token_ttl: { type: ['integer', 'null'] },
        backchannel_logout_uri: { type: ['string', 'null'], maxLength: 2000 },
      }, ['name', 'grant_types']),
      response: { 201: { type: 'object', properties: { client: oidcClientSchema, client_id: { type: 'string' }, client_secret: { type: ['string', 'null'], description: 'shown this once; null for a public client' } } }, ...problems(400, 401, 403, 415) },
    },
    preHandler: superuser,
  }, async (request, reply) => {
    const { client, clientSecret } = await createOidcClient(core, request.body as OidcClientInput, actorOf(request));
    reply.code(201).header('cache-control', 'no-store');
    return { client: oidcClientApiView(client), client_id: client.client_id, client_secret: clientSecret };
  });

  app.delete('/v1/admin/oidc/clients/:id', {
    schema: { tags, summary: 'Revoke an OpenID client', description: `It can no longer authenticate; its grants and tokens are deleted. ${requires('superuser')}`, security: adminSecurity, params: idParams, response: { 200: oidcClientSchema, ...problems(400, 401, 403, 404, 409) } },
    preHandler: superuser,
  }, async (request) => oidcClientApiView(await revokeOidcClientById(core, (request.params as { id: string }).id, actorOf(request))));
}
