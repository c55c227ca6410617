import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { AuditEventsTable } from './schema.js';
import { dialectOf, type Db } from './dialect/index.js';

/** One audit row as written: `detail` is already JSON. */
export interface NewAuditEvent {
  at: number;
  kind: string;
  userId: number | null;
  actorId: number | null;
  ip: string;
  userAgent: string;
  detail: string;
}

const auditRow = (e: NewAuditEvent) => ({ at: e.at, kind: e.kind, user_id: e.userId, actor_id: e.actorId, ip: e.ip, user_agent: e.userAgent, detail: e.detail });

/** One INSERT for the rows (several from core/audit-buffer.ts; 7 parameters a row, so a few hundred rows stay far below either dialect's limit). */
export async function recordAuditEvents(db: Db, events: readonly NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.insertInto('audit_events').values(events.map(auditRow)).execute();
}

export interface AuditFilter {
  userId?: number;
  actorId?: number;
  kind?: string;
  /** A family with its dot (`login.` or `admin.user.`): kinds starting with it. */
  family?: string;
  from?: number;
  to?: number;
  /** Keyset position: rows strictly older than (at, id). */
  before?: { at: number; id: number };
}

export interface AuditRow extends Selectable<AuditEventsTable> {
  user_username: string | null;
  user_email: string | null;
  actor_username: string | null;
  actor_email: string | null;
}

/**
 * A family (`login.`) is an equality on the kind's family, the expression the (family, at, id)
 * index holds (migration 010), so its page walks that index by time. A family of more than one
 * segment (`a.b.`) also ranges over the kind, within its first segment's family.
 */
function familyFilter(db: Db, family: string): Expression<SqlBool>[] {
  const kind = sql.ref('audit_events.kind');
  const first = family.slice(0, family.indexOf('.') + 1);
  const out = [sql<SqlBool>`${dialectOf(db).auditFamily(kind)} = ${first}`];
  if (first !== family) out.push(sql<SqlBool>`${kind} >= ${family}`, sql<SqlBool>`${kind} < ${family.slice(0, -1) + '/'}`);
  return out;
}

/** Up to `limit` audit events matching `filter`, newest first, with the labels of their user and actor. */
export async function auditPage(db: Db, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const rows = await db
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
      if (filter.userId !== undefined) where.push(eb('audit_events.user_id', '=', filter.userId));
      if (filter.actorId !== undefined) where.push(eb('audit_events.actor_id', '=', filter.actorId));
      if (filter.family !== undefined) where.push(...familyFilter(db, filter.family));
      else if (filter.kind !== undefined) where.push(eb('audit_events.kind', '=', filter.kind));
      if (filter.from !== undefined) where.push(eb('audit_events.at', '>=', filter.from));
      if (filter.to !== undefined) where.push(eb('audit_events.at', '<', filter.to));
      const before = filter.before;
      if (before) where.push(eb.or([eb('audit_events.at', '<', before.at), eb.and([eb('audit_events.at', '=', before.at), eb('audit_events.id', '<', before.id)])]));
      return eb.and(where);
    })
    // By time, so the (kind, at), (family, at, id), (user_id, at) and (at) indexes serve each filter in order.
    .orderBy('audit_events.at', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), user_id: r.user_id === null ? null : Number(r.user_id), actor_id: r.actor_id === null ? null : Number(r.actor_id) }));
}

/** The account's latest `limit` events, newest first (its (user_id, at) index). */
export async function recentAuditEventsOf(db: Db, userId: number, limit: number): Promise<{ kind: string; at: number; ip: string; user_agent: string }[]> {
  return db
    .selectFrom('audit_events')
    .select(['kind', 'at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
