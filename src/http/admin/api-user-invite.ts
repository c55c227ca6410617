import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { inviteUser, type InviteInput } from '../../core/admin/invite-user.js';
import { body, problems, str } from '../schemas.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { adminUserSchema, adminUserView } from './api-schemas.js';

/** POST /v1/admin/users/invite: an account made by an operator whose owner chooses the password. */
export function adminUserInviteRoutes(app: FastifyInstance, core: Core): void {
  app.post('/v1/admin/users/invite', {
    schema: {
      tags: ['admin: users'],
      summary: 'Invite a user by email',
      description:
        'Creates an approved, active account with no password anyone knows and mails the address a set-password link ' +
        "(it lives the `invite_ttl` setting; following it sets the first password and marks the address verified). " +
        `The same validation and uniqueness as creating a user; \`is_staff\` needs a superuser. ${requires('staff')}`,
      security: adminSecurity,
      body: body({ email: str(254), username: str(150), first_name: str(150), last_name: str(150), is_staff: { type: 'boolean', description: 'superusers only' } }, ['email']),
      response: {
        201: { type: 'object', properties: { user: adminUserSchema, invitation_expires_at: { type: 'integer', description: 'ms since the epoch' } } },
        ...problems(400, 401, 403, 413, 415),
      },
    },
    preHandler: adminApiGuard(core, 'staff'),
  }, async (request, reply) => {
    const invited = await inviteUser(core, actorOf(request), request.body as InviteInput);
    reply.code(201);
    return { user: adminUserView(invited.user, core.clock.now()), invitation_expires_at: invited.expiresAt };
  });
}
