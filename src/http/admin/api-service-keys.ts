import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { createServiceKey, listAllServiceKeys, revokeServiceKeyById, serviceKeyIdPattern, type ServiceKeyView } from '../../core/service-keys.js';
import { body, problems, str } from '../schemas.js';
import { iso } from '../views.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';

export const serviceKeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'the first characters of the key, to tell keys apart' },
    created_at: { type: 'string' },
    last_used_at: { type: ['string', 'null'], description: 'to the minute' },
    revoked_at: { type: ['string', 'null'] },
    created_by: { type: ['integer', 'null'] },
  },
} as const;

export const serviceKeyView = (k: ServiceKeyView) => ({ ...k, created_at: iso(k.created_at)!, last_used_at: iso(k.last_used_at), revoked_at: iso(k.revoked_at) });

const idParams = { type: 'object', properties: { id: { type: 'string', pattern: serviceKeyIdPattern } }, required: ['id'] } as const;
const tags = ['admin: service keys'];

/** Service keys: the credentials of resource servers that follow the revocation feed. */
export function adminServiceKeyRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');
  const superuser = adminApiGuard(core, 'superuser');

  app.get('/v1/admin/service-keys', {
    schema: { tags, summary: 'Service keys', description: `Newest first, revoked ones included. ${requires('staff')}`, security: adminSecurity, response: { 200: { type: 'object', properties: { items: { type: 'array', items: serviceKeySchema } } }, ...problems(401, 403) } },
    preHandler: staff,
  }, async () => ({ items: (await listAllServiceKeys(core)).map(serviceKeyView) }));

  app.post('/v1/admin/service-keys', {
    schema: {
      tags,
      summary: 'Create a service key',
      description: `A key a resource server reads \`/v1/revocations\` with, and nothing else. The key is in this answer only: it is stored as a digest. ${requires('superuser')}`,
      security: adminSecurity,
      body: body({ name: str(100) }, ['name']),
      response: { 201: { type: 'object', properties: { service_key: serviceKeySchema, key: { type: 'string', description: 'shown this once' } } }, ...problems(400, 401, 403, 415) },
    },
    preHandler: superuser,
  }, async (request, reply) => {
    const { serviceKey, key } = await createServiceKey(core, request.body as { name?: unknown }, actorOf(request));
    reply.code(201).header('cache-control', 'no-store');
    return { service_key: serviceKeyView(serviceKey), key };
  });

  app.delete('/v1/admin/service-keys/:id', {
    schema: { tags, summary: 'Revoke a service key', description: `It stops working at once; open feed streams that use it end on every instance. ${requires('superuser')}`, security: adminSecurity, params: idParams, response: { 200: serviceKeySchema, ...problems(400, 401, 403, 404, 409) } },
    preHandler: superuser,
  }, async (request) => serviceKeyView(await revokeServiceKeyById(core, (request.params as { id: string }).id, actorOf(request))));
}
