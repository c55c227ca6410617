import { sql, type Expression, type SqlBool } from 'kysely';
import type { Core } from '../core.js';
import { auditFamily } from '../../store/migrations/010_admin_list_indexes.js';
import { decodeCursor, encodeCursor, pageSize } from './paging.js';

export interface AuditQuery {
  userId?: number;
  actorId?: number;
  /** An exact kind (`login.failed`) or a family ending in a dot (`admin.`). */
  kind?: string;
  from?: number;
  to?: number;
  cursor?: string;
  limit?: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  kind: string;
  user_id: number | null;
  /** Username or email of the account, when it still exists. */
  user_label: string | null;
  actor_id: number | null;
  actor_label: string | null;
  ip: string;
  user_agent: string;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  next_cursor: string | null;
}

const scope = 'audit';

function parseDetail(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A family (`login.`) is an equality on the kind's family, the expression the (family, at, id)
 * index holds (migration 010), so its page walks that index by time. A family of more than one
 * segment (`a.b.`) also ranges over the kind, within its first segment's family.
 */
function familyFilter(core: Core, family: string): Expression<SqlBool>[] {
  const first = family.slice(0, family.indexOf('.') + 1);
  const out = [sql<SqlBool>`${auditFamily(core.dialect, sql.ref('audit_events.kind'))} = ${first}`];
  if (first !== family) out.push(sql<SqlBool>`${sql.ref('audit_events.kind')} >= ${family}`, sql<SqlBool>`${sql.ref('audit_events.kind')} < ${family.slice(0, -1) + '/'}`);
  return out;
}

/** Audit events, newest first, a page at a time (keyset on time, then id). */
export async function listAudit(core: Core, query: AuditQuery): Promise<AuditPage> {
  const limit = pageSize(query.limit, 1000);
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, 'integer');
  const rows = await core.db
    .selectFrom('audit_events')
    .leftJoin('users as u', 'u.id', 'audit_events.user_id')
    .leftJoin('users as a', 'a.id', 'audit_events.actor_id')
    .select([
      'audit_events.id', 'audit_events.at', 'audit_events.kind', 'audit_events.user_id', 'audit_events.actor_id',
      'audit_events.ip', 'audit_events.user_agent', 'audit_events.detail',
      'u.username as user_username', 'u.email as user_email', 'a.username as actor_username', 'a.email as actor_email',
    ])
    .where((eb) => {
      const where: Expression<SqlBool>[] = [];
      if (query.userId !== undefined) where.push(eb('audit_events.user_id', '=', query.userId));
      if (query.actorId !== undefined) where.push(eb('audit_events.actor_id', '=', query.actorId));
      if (query.kind?.endsWith('.')) where.push(...familyFilter(core, query.kind));
      else if (query.kind) where.push(eb('audit_events.kind', '=', query.kind));
      if (query.from !== undefined) where.push(eb('audit_events.at', '>=', query.from));
      if (query.to !== undefined) where.push(eb('audit_events.at', '<', query.to));
      if (before) where.push(eb.or([eb('audit_events.at', '<', before.key), eb.and([eb('audit_events.at', '=', before.key), eb('audit_events.id', '<', before.id)])]));
      return eb.and(where);
    })
    // By time, so the (kind, at), (family, at, id), (user_id, at) and (at) indexes serve each filter in order.
    .orderBy('audit_events.at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: r.at,
      kind: r.kind,
      user_id: r.user_id === null ? null : Number(r.user_id),
      user_label: r.user_username || r.user_email || null,
      actor_id: r.actor_id === null ? null : Number(r.actor_id),
      actor_label: r.actor_username || r.actor_email || null,
      ip: r.ip,
      user_agent: r.user_agent,
      detail: parseDetail(r.detail),
    })),
    next_cursor: rows.length > limit && last ? encodeCursor(scope, { key: last.at, id: Number(last.id) }) : null,
  };
}

/** Every matching event (newest first, at most `max`), a page at a time, for exports that stream. */
export async function* auditPages(core: Core, query: Omit<AuditQuery, 'cursor' | 'limit'>, max = 100_000): AsyncGenerator<AuditEntry[]> {
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await listAudit(core, { ...query, cursor, limit: Math.min(1000, max - sent) });
    if (page.items.length) yield page.items;
    sent += page.items.length;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
