import { auditPage } from '../../store/audit-repo.js';
import type { Ctx } from '../context.js';
import { decodeCursor, encodeCursor, pageSize } from './paging.js';

/** What reading the audit log needs. */
export type AuditReadCtx = Pick<Ctx, 'db'>;

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

/** Audit events, newest first, a page at a time (keyset on time, then id). */
export async function listAudit(ctx: AuditReadCtx, query: AuditQuery): Promise<AuditPage> {
  const limit = pageSize(query.limit, 1000);
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, 'integer');
  const family = query.kind?.endsWith('.') ? query.kind : undefined;
  const rows = await auditPage(ctx.db, {
    userId: query.userId,
    actorId: query.actorId,
    ...(family ? { family } : query.kind ? { kind: query.kind } : {}),
    from: query.from,
    to: query.to,
    before: before && { at: before.key, id: before.id },
  }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      kind: r.kind,
      user_id: r.user_id,
      user_label: r.user_username || r.user_email || null,
      actor_id: r.actor_id,
      actor_label: r.actor_username || r.actor_email || null,
      ip: r.ip,
      user_agent: r.user_agent,
      detail: parseDetail(r.detail),
    })),
    next_cursor: rows.length > limit && last ? encodeCursor(scope, { key: last.at, id: last.id }) : null,
  };
}

/** Every matching event (newest first, at most `max`), a page at a time, for exports that stream. */
export async function* auditPages(ctx: AuditReadCtx, query: Omit<AuditQuery, 'cursor' | 'limit'>, max = 100_000): AsyncGenerator<AuditEntry[]> {
  let cursor: string | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await listAudit(ctx, { ...query, cursor, limit: Math.min(1000, max - sent) });
    if (page.items.length) yield page.items;
    sent += page.items.length;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
