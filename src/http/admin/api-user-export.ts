import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { exportBatchSize, userExportBatches } from '../../core/admin/user-export.js';
import type { User } from '../../core/users/user.js';
import { problems, str } from '../schemas.js';
import { adminApiGuard, adminSecurity, requires } from './admin-auth.js';
import { csvField } from './api-audit.js';
import { adminUserSchema, adminUserView, q, userFilterOf, type UserFilterQuery } from './api-schemas.js';

type Row = ReturnType<typeof adminUserView>;
const csvColumns = ['id', 'username', 'email', 'first_name', 'last_name', 'phone_number', 'is_active', 'approved', 'email_verified', 'is_staff', 'is_superuser', 'date_joined', 'last_login'] as const satisfies readonly (keyof Row)[];

async function* csvLines(batches: AsyncGenerator<User[]>, now: number): AsyncGenerator<string> {
  yield csvColumns.join(',') + '\r\n';
  for await (const batch of batches) yield batch.map((u) => { const v = adminUserView(u, now); return csvColumns.map((c) => csvField(v[c])).join(',') + '\r\n'; }).join('');
}

async function* jsonLines(batches: AsyncGenerator<User[]>, now: number): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const batch of batches) {
    yield batch.map((u) => {
      const line = (first ? '\n' : ',\n') + JSON.stringify(adminUserView(u, now));
      first = false;
      return line;
    }).join('');
  }
  yield '\n]\n';
}

type RawFilter = UserFilterQuery & { format?: 'csv' | 'json' };

/** GET /v1/admin/users/export: every matching user as CSV or JSON, streamed in keyset batches. */
export function adminUserExportRoutes(app: FastifyInstance, core: Core): void {
  app.get('/v1/admin/users/export', {
    schema: {
      tags: ['admin: users'],
      summary: 'Export users as CSV or JSON',
      description: `The list's filters; every matching user in id order, streamed as a download, read ${exportBatchSize} at a time (memory stays flat however many there are). CSV cells starting with \`=\`, \`+\`, \`-\` or \`@\` get a leading \`'\` so spreadsheets show them as text. ${requires('staff')}`,
      security: adminSecurity,
      querystring: {
        type: 'object',
        properties: {
          q: str(200), active: q.bool, verified: q.bool, staff: q.bool, pending: q.bool, locked: q.bool, joined_from: q.time, joined_to: q.time,
          format: { type: 'string', enum: ['csv', 'json'] },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          description: 'A download (`Content-Disposition: attachment`): CSV with a header row (`format=csv`, the default) or a JSON array of users (`format=json`)',
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'array', items: adminUserSchema } } },
        },
        ...problems(400, 401, 403),
      },
    },
    preHandler: adminApiGuard(core, 'staff'),
  }, async (request, reply) => {
    const query = request.query as RawFilter;
    const format = query.format ?? 'csv';
    const batches = userExportBatches(core, userFilterOf(query));
    const now = core.clock.now();
    const stamp = new Date(now).toISOString().slice(0, 10);
    reply
      .header('content-disposition', `attachment; filename="users-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    return reply.send(Readable.from(format === 'csv' ? csvLines(batches, now) : jsonLines(batches, now)));
  });
}
