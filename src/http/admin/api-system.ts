import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { overviewStats } from '../../core/admin/overview-stats.js';
import { systemFacts } from '../../core/admin/system-facts.js';
import { changeSettings, listSettings } from '../../core/admin/settings-view.js';
import { getMail, listMail, retryFailedMail } from '../../core/admin/outbox-admin.js';
import { outboxStatuses, type OutboxStatus } from '../../mail/outbox.js';
import { problems } from '../schemas.js';
import { actorOf, adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { idParams, mailSchema, mailView, pageSchema, parseInt10, q, settingSchema, settingView } from './api-schemas.js';

const dayCounts = { type: 'array', items: { type: 'object', properties: { day: { type: 'string' }, count: { type: 'integer' } } } } as const;
const counts = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])) });
const obj = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nullable = (type: string) => ({ type: [type, 'null'] });
const strings = { type: 'array', items: str } as const;
const systemSchema = obj({
  checked_at: int,
  database: obj({ dialect: str, url: str, schema: nullable('string'), migration: obj({ at: int, needs: int, current: { type: 'boolean' }, missing: strings, unknown: strings }) }),
  redis: obj({ configured: { type: 'boolean' }, healthy: nullable('boolean') }),
  outbox: obj({ counts: counts(...outboxStatuses), capped: strings, backlog: int, oldest_due_at: nullable('integer'), oldest_due_seconds: nullable('integer') }),
  signing: obj({ alg: str, keys: { type: 'array', items: obj({ kid: str, alg: str, state: { type: 'string', enum: ['signing', 'retired'] }, created_at: int, age_seconds: int, retired_at: nullable('integer'), expires_at: nullable('integer') }) } }),
  instances: obj({ window_seconds: int, seen: { type: 'array', items: obj({ instance: str, seen_at: int, age_seconds: int }) } }),
  cleanup: obj({ last_run_at: nullable('integer'), age_seconds: nullable('integer') }),
});

/** Overview, runtime settings and the mail outbox. */
export function adminSystemRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');
  const superuser = adminApiGuard(core, 'superuser');

  app.get('/v1/admin/overview', {
    schema: {
      tags: ['admin: overview'],
      summary: 'Counts and activity per day',
      description: `Sign-ups, logins and failed logins per UTC day for the last \`days\` days (default 14, at most 90). ${requires('staff')}`,
      security: adminSecurity,
      querystring: { type: 'object', properties: { days: { type: 'string', pattern: '^[0-9]{1,2}$' } }, additionalProperties: false },
      response: {
        200: {
          type: 'object',
          properties: {
            users: counts('total', 'active', 'inactive', 'staff', 'pending_activation', 'unverified', 'locked'),
            active_sessions: { type: 'integer' },
            failed_logins_24h: { type: 'integer' },
            signups_per_day: dayCounts,
            logins_per_day: dayCounts,
            failed_logins_per_day: dayCounts,
            mail: counts(...outboxStatuses),
            capped: { type: 'array', items: { type: 'string' }, description: 'the counts that stopped at 10,000 (`users.locked`, `active_sessions`, `failed_logins_24h`, `mail.<status>`): more than that many; the other account counts are exact' },
          },
        },
        ...problems(400, 401, 403),
      },
    },
    preHandler: staff,
  }, async (request) => overviewStats(core, parseInt10((request.query as { days?: string }).days) ?? 14));

  app.get('/v1/admin/system', {
    schema: {
      tags: ['admin: overview'],
      summary: 'System health',
      description: `Database dialect and migration level against this build's, Redis, the mail backlog and its oldest due mail, signing-key ages, instances whose readiness probe ran in the last minute, and when the cleanup job last ran on any instance. Times are epoch milliseconds, ages whole seconds. ${requires('staff')}`,
      security: adminSecurity,
      response: { 200: systemSchema, ...problems(401, 403) },
    },
    preHandler: staff,
  }, async () => systemFacts(core));

  app.get('/v1/admin/settings', {
    schema: {
      tags: ['admin: settings'],
      summary: 'Runtime settings',
      description: `Each setting's definition, current value, default (from configuration) and last change. ${requires('staff')}`,
      security: adminSecurity,
      response: { 200: { type: 'array', items: settingSchema }, ...problems(401, 403) },
    },
    preHandler: staff,
  }, async () => (await listSettings(core)).map(settingView));

  app.patch('/v1/admin/settings', {
    schema: {
      tags: ['admin: settings'],
      summary: 'Change runtime settings',
      description: `An object of \`key: value\`. All changes are validated before any is applied; each is audited (who, old → new) and reaches every instance without a restart. ${requires('superuser')}`,
      security: adminSecurity,
      body: { type: 'object', additionalProperties: { anyOf: [{ type: 'integer' }, { type: 'boolean' }, { type: 'string', maxLength: 100 }] }, maxProperties: 100 },
      response: { 200: { type: 'array', items: settingSchema }, ...problems(400, 401, 403, 415) },
    },
    preHandler: superuser,
  }, async (request) => (await changeSettings(core, actorOf(request), request.body as Record<string, unknown>)).map(settingView));

  app.get('/v1/admin/mail', {
    schema: {
      tags: ['admin: mail'],
      summary: 'Mail outbox',
      description: `Newest first, optionally of one status. ${requires('staff')}`,
      security: adminSecurity,
      querystring: { type: 'object', properties: { status: { type: 'string', enum: [...outboxStatuses] }, cursor: q.cursor, limit: q.limit }, additionalProperties: false },
      response: { 200: pageSchema(mailSchema), ...problems(400, 401, 403) },
    },
    preHandler: staff,
  }, async (request) => {
    const query = request.query as { status?: OutboxStatus; cursor?: string; limit?: string };
    const page = await listMail(core, { status: query.status, cursor: query.cursor, limit: parseInt10(query.limit) });
    return { ...page, items: page.items.map(mailView) };
  });

  app.get('/v1/admin/mail/:id', {
    schema: { tags: ['admin: mail'], summary: 'One mail', description: `Bodies of unsent mail are shown to superusers only. ${requires('staff')}`, security: adminSecurity, params: idParams, response: { 200: mailSchema, ...problems(401, 403, 404) } },
    preHandler: staff,
  }, async (request) => mailView(await getMail(core, actorOf(request), Number((request.params as { id: string }).id))));

  app.post('/v1/admin/mail/:id/retry', {
    schema: { tags: ['admin: mail'], summary: 'Queue a failed mail again', description: requires('staff'), security: adminSecurity, params: idParams, response: { 200: mailSchema, ...problems(401, 403, 404, 409) } },
    preHandler: staff,
  }, async (request) => mailView(await retryFailedMail(core, actorOf(request), Number((request.params as { id: string }).id))));
}
