import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { bulkActions, bulkUserAction, type BulkAction } from '../../core/admin/user-bulk.js';
import { createUserAsAdmin, deleteUserAsAdmin, updateUserAsAdmin, type AdminUserInput } from '../../core/admin/user-admin.js';
import { requireTarget } from '../../core/admin/user-access.js';
import { listUsers, userSorts, type UserSort } from '../../core/admin/users-query.js';
import { body, problems, str } from '../schemas.js';
import { profileProps } from '../native/auth-routes.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { adminUserSchema, adminUserView, idParams, pageSchema, parseInt10, q, userFilterOf, userTotalProps, type UserFilterQuery } from './api-schemas.js';

const tags = ['admin: users'];
const flagProps = {
  is_active: { type: 'boolean' },
  is_staff: { type: 'boolean', description: 'superusers only' },
  is_superuser: { type: 'boolean', description: 'superusers only' },
  email_verified: { type: 'boolean' },
} as const;

interface ListQuery extends UserFilterQuery {
  sort?: UserSort;
  order?: 'asc' | 'desc';
  cursor?: string;
  limit?: string;
}

export function adminUserRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');
  const userId = (params: unknown) => Number((params as { id: string }).id);

  app.get('/v1/admin/users', {
    schema: {
      tags,
      summary: 'List users',
      description: `Search (words matched against username, email, first and last name; a number also matches the id), filters, sort and cursor pagination. ${requires('staff')}`,
      security: adminSecurity,
      querystring: {
        type: 'object',
        properties: {
          q: str(200),
          active: q.bool,
          verified: q.bool,
          staff: q.bool,
          pending: { ...q.bool, description: 'awaiting activation by an administrator' },
          locked: { ...q.bool, description: 'locked after failed logins' },
          joined_from: q.time,
          joined_to: { ...q.time, description: 'a date includes that whole day' },
          sort: { type: 'string', enum: [...userSorts] },
          order: { type: 'string', enum: ['asc', 'desc'] },
          cursor: q.cursor,
          limit: { ...q.limit, description: 'page size, 1 to 200 (default 50)' },
        },
        additionalProperties: false,
      },
      response: { 200: pageSchema(adminUserSchema, userTotalProps), ...problems(400, 401, 403) },
    },
    preHandler: staff,
  }, async (request) => {
    const query = request.query as ListQuery;
    const page = await listUsers(core, {
      ...userFilterOf(query),
      sort: query.sort,
      order: query.order,
      cursor: query.cursor,
      limit: parseInt10(query.limit),
    });
    const now = core.clock.now();
    return { ...page, items: page.items.map((u) => adminUserView(u, now)) };
  });

  app.post('/v1/admin/users', {
    schema: {
      tags,
      summary: 'Create a user',
      description: `Same validation and password policy as registration; the account is approved. Staff and superuser flags need a superuser. ${requires('staff')}`,
      security: adminSecurity,
      body: body({ ...profileProps, password: str(4096), ...flagProps }, ['password']),
      response: { 201: adminUserSchema, ...problems(400, 401, 403, 413, 415) },
    },
    preHandler: staff,
  }, async (request, reply) => {
    const user = await createUserAsAdmin(core, actorOf(request), request.body as AdminUserInput & { password: string });
    reply.code(201);
    return adminUserView(user, core.clock.now());
  });

  app.get('/v1/admin/users/:id', {
    schema: { tags, summary: 'Read a user', description: requires('staff'), security: adminSecurity, params: idParams, response: { 200: adminUserSchema, ...problems(400, 401, 403, 404) } },
    preHandler: staff,
  }, async (request) => adminUserView(await requireTarget(core, userId(request.params)), core.clock.now()));

  app.patch('/v1/admin/users/:id', {
    schema: {
      tags,
      summary: 'Update a user',
      description: `Profile fields and flags. \`is_active: false\` deactivates (sessions and tokens end at once). Staff and superuser flags, and any change to another staff account, need a superuser. ${requires('staff')}`,
      security: adminSecurity,
      params: idParams,
      body: body({ ...profileProps, ...flagProps }),
      response: { 200: adminUserSchema, ...problems(400, 401, 403, 404, 415) },
    },
    preHandler: staff,
  }, async (request) => adminUserView(await updateUserAsAdmin(core, actorOf(request), userId(request.params), request.body as AdminUserInput), core.clock.now()));

  app.delete('/v1/admin/users/:id', {
    schema: { tags, summary: 'Delete a user', description: `Its sessions and tokens end everywhere. ${requires('staff')}`, security: adminSecurity, params: idParams, response: { 204: { type: 'null' }, ...problems(401, 403, 404) } },
    preHandler: staff,
  }, async (request, reply) => {
    await deleteUserAsAdmin(core, actorOf(request), userId(request.params));
    return reply.code(204).send();
  });

  app.post('/v1/admin/users/bulk', {
    schema: {
      tags,
      summary: 'Activate or deactivate many users',
      description: `Each account on its own: the answer lists what happened to each id. ${requires('staff')}`,
      security: adminSecurity,
      body: body({ action: { type: 'string', enum: [...bulkActions] }, ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 200 } }, ['action', 'ids']),
      response: {
        200: {
          type: 'object',
          properties: { results: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, ok: { type: 'boolean' }, code: { type: 'string' }, message: { type: 'string' } } } } },
        },
        ...problems(400, 401, 403, 415),
      },
    },
    preHandler: staff,
  }, async (request) => {
    const { action, ids } = request.body as { action: BulkAction; ids: number[] };
    return { results: await bulkUserAction(core, actorOf(request), action, ids) };
  });
}
