import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { revokeOtherSessions, revokeOwnSession } from '../../core/account.js';
import { AuthError } from '../../core/errors.js';
import { deleteApiTokens, listApiTokens, mintPersonalApiToken } from '../../core/api-tokens.js';
import { listSessions } from '../../core/sessions.js';
import { principal, requestMeta, requireSession, sessionOf } from '../auth.js';
import { body, problems, sessionSchema, str } from '../schemas.js';
import { iso, sessionView } from '../views.js';
import { stepUpCode, stepUpRule } from './step-up-schema.js';

const security = [{ bearer: [] }];
// Ids are base64url tokens: anything else (NUL bytes, odd Unicode) is a 400 before it reaches a query.
const idParam = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['id'] } as const;
const revokedCount = { type: 'object', properties: { sessions_revoked: { type: 'integer' } } } as const;

const sessionItem = { type: 'object', properties: { ...sessionSchema.properties, current: { type: 'boolean' } } } as const;

const apiTokenItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string' },
    created_at: { type: 'string' },
    last_used_at: { type: ['string', 'null'] },
    expires_at: { type: ['string', 'null'] },
  },
} as const;

export function nativeSessionRoutes(app: FastifyInstance, core: Core): void {
  const session = requireSession(core);

  app.get('/v1/me/sessions', {
    schema: { tags: ['sessions'], summary: 'Your signed-in devices', security, response: { 200: { type: 'array', items: sessionItem }, ...problems(401, 403) } },
    preHandler: session,
  }, async (request) => {
    const p = principal(request);
    const rows = await listSessions(core, p.user.id);
    return rows.map((s) => ({ ...sessionView(s), current: s.id === p.sessionId }));
  });

  app.get('/v1/me/sessions/:id', {
    schema: { tags: ['sessions'], summary: 'One of your signed-in devices', security, params: idParam, response: { 200: sessionItem, ...problems(401, 403, 404) } },
    preHandler: session,
  }, async (request) => {
    const p = principal(request);
    const [s] = await listSessions(core, p.user.id, (request.params as { id: string }).id);
    if (!s) throw new AuthError('not_found', 'No such session.');
    return { ...sessionView(s), current: s.id === p.sessionId };
  });

  app.delete('/v1/me/sessions', {
    schema: { tags: ['sessions'], summary: 'Sign every other device out', description: 'The session making the request stays signed in.', security, response: { 200: revokedCount, ...problems(401, 403) } },
    preHandler: session,
  }, async (request) => {
    const sessions_revoked = await revokeOtherSessions(core, principal(request).user.id, sessionOf(request), requestMeta(request));
    return { sessions_revoked };
  });

  app.delete('/v1/me/sessions/:id', {
    schema: { tags: ['sessions'], summary: 'Sign a device out', security, params: idParam, response: { 204: { type: 'null' }, ...problems(401, 403, 404) } },
    preHandler: session,
  }, async (request, reply) => {
    await revokeOwnSession(core, principal(request).user.id, (request.params as { id: string }).id, requestMeta(request));
    return reply.code(204).send();
  });

  app.get('/v1/me/api-tokens', {
    schema: { tags: ['api tokens'], summary: 'Your API tokens (keys are never shown again)', security, response: { 200: { type: 'array', items: apiTokenItem }, ...problems(401, 403) } },
    preHandler: session,
  }, async (request) => {
    const rows = await listApiTokens(core, principal(request).user.id);
    return rows.map((t) => ({ ...t, created_at: iso(t.created_at), last_used_at: iso(t.last_used_at), expires_at: iso(t.expires_at) }));
  });

  app.post('/v1/me/api-tokens', {
    schema: {
      tags: ['api tokens'],
      summary: 'Create an API token',
      description: 'Use it as `Authorization: Token <key>`. The key is in this response only; it is stored hashed. Needs `current_password` and a session; an API token cannot create another (403).' + stepUpRule,
      security,
      body: body({ name: str(100), expires_in_days: { type: ['integer', 'null'], minimum: 1, maximum: 3650 }, current_password: str(4096), code: stepUpCode }),
      response: { 201: { type: 'object', properties: { ...apiTokenItem.properties, key: { type: 'string' } } }, ...problems(400, 401, 403, 429) },
    },
    preHandler: session,
  }, async (request, reply) => {
    const p = principal(request);
    const { token, key } = await mintPersonalApiToken(core, p.user.id, (request.body ?? {}) as object, requestMeta(request), p.sessionId);
    reply.code(201);
    return { ...token, key, created_at: iso(token.created_at), last_used_at: null, expires_at: iso(token.expires_at) };
  });

  app.delete('/v1/me/api-tokens', {
    schema: { tags: ['api tokens'], summary: 'Delete all your API tokens', security, response: { 200: { type: 'object', properties: { deleted: { type: 'integer' } } }, ...problems(401, 403) } },
    preHandler: session,
  }, async (request) => ({ deleted: await deleteApiTokens(core, principal(request).user.id, undefined, requestMeta(request)) }));

  app.delete('/v1/me/api-tokens/:id', {
    schema: { tags: ['api tokens'], summary: 'Delete an API token', security, params: idParam, response: { 204: { type: 'null' }, ...problems(401, 403, 404) } },
    preHandler: session,
  }, async (request, reply) => {
    await deleteApiTokens(core, principal(request).user.id, (request.params as { id: string }).id, requestMeta(request));
    return reply.code(204).send();
  });
}
