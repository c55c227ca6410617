import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { auditPages, listAudit, type AuditEntry, type AuditQuery } from '../../core/admin/audit-query.js';
import { problems } from '../schemas.js';
import { iso } from '../views.js';
import { adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { auditEntrySchema, auditEntryView, pageSchema, parseInt10, parseTime, q } from './api-schemas.js';

const tags = ['admin: audit'];

const filterProps = {
  user_id: q.int,
  actor_id: q.int,
  kind: { type: 'string', maxLength: 64, pattern: '^[a-z_.]+$', description: 'an exact kind (`login.failed`) or a family ending in a dot (`admin.`)' },
  from: q.time,
  to: { ...q.time, description: 'exclusive; a date includes that whole day' },
} as const;

type RawFilter = { user_id?: string; actor_id?: string; kind?: string; from?: string; to?: string };

function auditFilter(request: FastifyRequest): AuditQuery {
  const query = request.query as RawFilter;
  return {
    userId: parseInt10(query.user_id),
    actorId: parseInt10(query.actor_id),
    kind: query.kind,
    from: parseTime(query.from, 'from', 'from'),
    to: parseTime(query.to, 'to', 'to'),
  };
}

const csvColumns = ['id', 'at', 'kind', 'user_id', 'user', 'actor_id', 'actor', 'ip', 'user_agent', 'detail'];

/** One CSV field: quoted when needed, and a leading formula character defused so spreadsheets show it as text. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(e: AuditEntry): string {
  return [e.id, iso(e.at), e.kind, e.user_id, e.user_label, e.actor_id, e.actor_label, e.ip, e.user_agent, JSON.stringify(e.detail)].map(csvField).join(',') + '\r\n';
}

async function* csvLines(pages: AsyncGenerator<AuditEntry[]>): AsyncGenerator<string> {
  yield csvColumns.join(',') + '\r\n';
  for await (const page of pages) yield page.map(csvRow).join('');
}

async function* jsonLines(pages: AsyncGenerator<AuditEntry[]>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const page of pages) {
    for (const e of page) {
      yield (first ? '\n' : ',\n') + JSON.stringify(auditEntryView(e));
      first = false;
    }
  }
  yield '\n]\n';
}

export function adminAuditRoutes(app: FastifyInstance, core: Core): void {
  const staff = adminApiGuard(core, 'staff');

  app.get('/v1/admin/audit', {
    schema: {
      tags,
      summary: 'Audit log',
      description: `Newest first; filter by user, actor, kind and time range. ${requires('staff')}`,
      security: adminSecurity,
      querystring: { type: 'object', properties: { ...filterProps, cursor: q.cursor, limit: { ...q.limit, description: 'page size, 1 to 1000 (default 50)' } }, additionalProperties: false },
      response: { 200: pageSchema(auditEntrySchema), ...problems(400, 401, 403) },
    },
    preHandler: staff,
  }, async (request) => {
    const query = request.query as { cursor?: string; limit?: string };
    const page = await listAudit(core, { ...auditFilter(request), cursor: query.cursor, limit: parseInt10(query.limit) });
    return { ...page, items: page.items.map(auditEntryView) };
  });

  app.get('/v1/admin/audit/export', {
    schema: {
      tags,
      summary: 'Export the audit log as CSV or JSON',
      description: `The same filters as the list; every matching event, newest first (at most 100,000), streamed as a download. ${requires('staff')}`,
      security: adminSecurity,
      querystring: { type: 'object', properties: { ...filterProps, format: { type: 'string', enum: ['csv', 'json'] } }, additionalProperties: false },
      response: {
        200: {
          description: 'A download (`Content-Disposition: attachment`): CSV with a header row (`format=csv`, the default) or a JSON array of entries (`format=json`)',
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: auditEntrySchema } } },
        },
        ...problems(400, 401, 403),
      },
    },
    preHandler: staff,
  }, async (request, reply) => {
    const format = (request.query as { format?: string }).format ?? 'csv';
    const pages = auditPages(core, auditFilter(request));
    const stamp = new Date(core.clock.now()).toISOString().slice(0, 10);
    reply
      .header('content-disposition', `attachment; filename="audit-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    return reply.send(Readable.from(format === 'csv' ? csvLines(pages) : jsonLines(pages)));
  });
}
