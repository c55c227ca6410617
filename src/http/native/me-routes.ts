import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { changePassword, deleteAccount, updateProfile } from '../../core/account.js';
import { dashboard } from '../../core/dashboard.js';
import { principal, requestMeta, requireAuth, requireSession, sessionOf } from '../auth.js';
import { body, problems, ref, str } from '../schemas.js';
import { iso, publicUser } from '../views.js';
import { profileProps } from './auth-routes.js';
import { locales } from '../../core/locales.js';
import { stepUpCode, stepUpRule } from './step-up-schema.js';

const tags = ['me'];
const either: Record<string, string[]>[] = [{ bearer: [] }, { token: [] }];

export function nativeMeRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);
  const any = requireAuth(core, ['Bearer', 'Token']);

  app.get('/v1/me', {
    schema: { tags, summary: 'Your profile', security: either, response: { 200: ref('PublicUser'), ...problems(401) } },
    preHandler: any,
  }, async (request) => publicUser(principal(request).user, core.config.publicUrl));

  app.patch('/v1/me', {
    schema: {
      tags,
      summary: 'Update your profile',
      description: 'Username and email stay unique. A new email is verified before it replaces the old one. Changing the email or username needs `current_password` and a session; an API token may not do it (403).' + stepUpRule,
      security: either,
      body: body({ ...profileProps, locale: { type: ['string', 'null'], maxLength: 35, description: `the language of your mail and hosted pages: ${locales.join(', ')}, or null for the default` }, current_password: str(4096), code: stepUpCode }),
      response: { 200: ref('PublicUser'), ...problems(400, 401, 403, 429) },
    },
    preHandler: any,
  }, async (request) => {
    const p = principal(request);
    const { current_password, code, ...input } = (request.body ?? {}) as Record<string, unknown>;
    const reauth = { credential: p.sessionId ? ('session' as const) : ('token' as const), password: current_password };
    const user = await updateProfile(core, p.user.id, input, { emailChange: 'verify', usernameIsLogin: true, reauth, stepUp: { sessionId: p.sessionId, code } }, requestMeta(request));
    return publicUser(user, core.config.publicUrl);
  });

  app.delete('/v1/me', {
    schema: {
      tags,
      summary: 'Delete your account',
      description: 'Needs `password` and a session.' + stepUpRule,
      security: [{ bearer: [] }],
      body: body({ password: str(4096), code: stepUpCode }, ['password']),
      response: { 204: { type: 'null' }, ...problems(400, 401, 403, 429) },
    },
    preHandler: session,
  }, async (request, reply) => {
    const { password, code } = request.body as { password: string; code?: string };
    await deleteAccount(core, principal(request).user.id, password, requestMeta(request), { sessionId: sessionOf(request), code });
    return reply.code(204).send();
  });

  app.put('/v1/me/password', {
    schema: {
      tags,
      summary: 'Change your password',
      description: 'Every other session of the account ends at once; this one stays.' + stepUpRule,
      security: [{ bearer: [] }],
      body: body({ old_password: str(4096), new_password: str(4096), code: stepUpCode }, ['old_password', 'new_password']),
      response: { 204: { type: 'null' }, ...problems(400, 401, 403, 429) },
    },
    preHandler: session,
  }, async (request, reply) => {
    await changePassword(core, principal(request).user.id, request.body as { old_password: string; new_password: string; code?: string }, requestMeta(request), { sessionId: sessionOf(request) });
    return reply.code(204).send();
  });

  app.get('/v1/me/dashboard', {
    schema: {
      tags,
      summary: 'Your dashboard',
      security: either,
      response: {
        200: {
          type: 'object',
          properties: {
            greeting: { type: 'string' },
            name: { type: 'string' },
            account_age_days: { type: 'integer' },
            date_joined: { type: 'string' },
            last_login: { type: ['string', 'null'] },
            active_sessions: { type: 'integer' },
            recent_security_events: {
              type: 'array',
              items: { type: 'object', properties: { kind: { type: 'string' }, at: { type: 'string' }, ip: { type: 'string' }, user_agent: { type: 'string' } } },
            },
          },
        },
        ...problems(401),
      },
    },
    preHandler: any,
  }, async (request) => {
    const d = await dashboard(core, principal(request).user);
    return {
      ...d,
      date_joined: iso(d.date_joined),
      last_login: iso(d.last_login),
      recent_security_events: d.recent_security_events.map((e) => ({ ...e, at: iso(e.at) })),
    };
  });
}
