import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import {
  activateUserAsAdmin, clearLoginLock, deactivateUser, markEmailVerified, requireTarget, revokeUserSession,
  revokeUserSessions, sendPasswordResetMail, setPasswordAsAdmin,
} from '../../core/admin/user-access.js';
import { listSessions } from '../../core/sessions.js';
import type { User } from '../../core/users/user.js';
import type { AdminActor } from '../../core/admin/permissions.js';
import { body, problems, str } from '../schemas.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { adminUserSchema, adminUserView, idParams } from './api-schemas.js';
import { sessionSchema } from '../schemas.js';
import { sessionView } from '../views.js';

const tags = ['admin: users'];
const userId = (params: unknown) => Number((params as { id: string }).id);

/** Actions on one account that answer with the account as it is afterwards. */
const userActions: { path: string; summary: string; run: (core: Core, actor: AdminActor, id: number) => Promise<User> }[] = [
  { path: 'activate', summary: 'Activate (approve and enable) a user; the user is told by mail', run: activateUserAsAdmin },
  { path: 'deactivate', summary: 'Deactivate a user: sessions and tokens end at once', run: deactivateUser },
  { path: 'verify-email', summary: "Mark the user's email address verified", run: markEmailVerified },
  { path: 'unlock', summary: 'Clear a lock from failed logins', run: clearLoginLock },
];

export function adminUserActionRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');

  for (const action of userActions) {
    app.post(`/v1/admin/users/:id/${action.path}`, {
      schema: { tags, summary: action.summary, description: requires('staff'), security: adminSecurity, params: idParams, response: { 200: adminUserSchema, ...problems(400, 401, 403, 404) } },
      preHandler: staff,
    }, async (request) => adminUserView(await action.run(core, actorOf(request), userId(request.params)), core.clock.now()));
  }

  app.put('/v1/admin/users/:id/password', {
    schema: {
      tags,
      summary: "Set a user's password",
      description: `The password policy applies; the user's sessions end and a notice is mailed. ${requires('staff')}`,
      security: adminSecurity,
      params: idParams,
      body: body({ password: str(4096) }, ['password']),
      response: { 204: { type: 'null' }, ...problems(400, 401, 403, 404, 415) },
    },
    preHandler: staff,
  }, async (request, reply) => {
    await setPasswordAsAdmin(core, actorOf(request), userId(request.params), (request.body as { password: string }).password);
    return reply.code(204).send();
  });

  app.post('/v1/admin/users/:id/password-reset', {
    schema: {
      tags,
      summary: 'Mail the user a password-reset code and link',
      description: requires('staff'),
      security: adminSecurity,
      params: idParams,
      response: { 202: { type: 'object', properties: { status: { type: 'string' } } }, ...problems(400, 401, 403, 404, 429) },
    },
    preHandler: staff,
  }, async (request, reply) => {
    await sendPasswordResetMail(core, actorOf(request), userId(request.params));
    reply.code(202);
    return { status: 'queued' };
  });

  app.get('/v1/admin/users/:id/sessions', {
    schema: { tags, summary: "A user's live sessions", description: requires('staff'), security: adminSecurity, params: idParams, response: { 200: { type: 'array', items: sessionSchema }, ...problems(401, 403, 404) } },
    preHandler: staff,
  }, async (request) => {
    const user = await requireTarget(core, userId(request.params));
    return (await listSessions(core, user.id)).map(sessionView);
  });

  app.delete('/v1/admin/users/:id/sessions', {
    schema: {
      tags,
      summary: "End all of a user's sessions",
      description: `Access tokens stop working at once on every instance; the user may log in again. ${requires('staff')}`,
      security: adminSecurity,
      params: idParams,
      response: { 200: { type: 'object', properties: { sessions_revoked: { type: 'integer' } } }, ...problems(401, 403, 404) },
    },
    preHandler: staff,
  }, async (request) => ({ sessions_revoked: await revokeUserSessions(core, actorOf(request), userId(request.params)) }));

  app.delete('/v1/admin/users/:id/sessions/:sessionId', {
    schema: {
      tags,
      summary: "End one of a user's sessions",
      description: requires('staff'),
      security: adminSecurity,
      params: { type: 'object', properties: { id: idParams.properties.id, sessionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['id', 'sessionId'] },
      response: { 204: { type: 'null' }, ...problems(401, 403, 404) },
    },
    preHandler: staff,
  }, async (request, reply) => {
    const params = request.params as { id: string; sessionId: string };
    await revokeUserSession(core, actorOf(request), Number(params.id), params.sessionId);
    return reply.code(204).send();
  });
}
