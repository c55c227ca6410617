import { recordAudit } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { retryMail, type OutboxStatus } from '../../mail/outbox.js';
import type { AdminActor } from './permissions.js';
import { decodeCursor, encodeCursor, pageSize } from './paging.js';

export interface MailSummary {
  id: number;
  kind: string;
  to: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number;
  sent_at: number | null;
}

export interface MailDetail extends MailSummary {
  /**
   * Bodies of unsent mail carry live reset codes and links: only a superuser sees them
   * (staff cannot act on a superuser's account, so must not read its reset mail). Null otherwise,
   * and always null once sent (the worker blanks them).
   */
  text_body: string | null;
  html_body: string | null;
}

const summaryColumns = ['id', 'kind', 'to_addr', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'next_attempt_at', 'sent_at'] as const;

function summary(row: { id: number; kind: string; to_addr: string; subject: string; status: string; attempts: number; last_error: string | null; created_at: number; next_attempt_at: number; sent_at: number | null }): MailSummary {
  const { to_addr, ...rest } = row;
  return { ...rest, id: Number(row.id), to: to_addr };
}

/** Outbox rows, newest first, optionally of one status. */
export async function listMail(core: Core, query: { status?: OutboxStatus; cursor?: string; limit?: number }): Promise<{ items: MailSummary[]; next_cursor: string | null }> {
  const limit = pageSize(query.limit, 200);
  const scope = `mail:${query.status ?? ''}`;
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, 'none');
  let q = core.db.selectFrom('outbox').select(summaryColumns).orderBy('id', 'desc').limit(limit + 1);
  if (query.status) q = q.where('status', '=', query.status);
  if (before) q = q.where('id', '<', before.id);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(summary), next_cursor: rows.length > limit && last ? encodeCursor(scope, { id: Number(last.id) }) : null };
}

export async function getMail(core: Core, actor: AdminActor, id: number): Promise<MailDetail> {
  const row = Number.isSafeInteger(id) ? await core.db.selectFrom('outbox').select([...summaryColumns, 'text_body', 'html_body']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new AuthError('not_found', 'No such mail.');
  const { text_body, html_body, ...rest } = row;
  const showBody = actor.user.is_superuser && row.status !== 'sent';
  return { ...summary(rest), text_body: showBody ? text_body : null, html_body: showBody ? html_body : null };
}

/** Queues a failed mail again with a fresh attempt budget. */
export async function retryFailedMail(core: Core, actor: AdminActor, id: number): Promise<MailDetail> {
  const current = await getMail(core, actor, id);
  if (current.status !== 'failed') throw new AuthError('conflict', 'Only a failed mail can be retried.');
  const retried = await core.db.transaction().execute(async (trx) => {
    const ok = await retryMail(trx, id, core.clock);
    if (ok) await recordAudit(trx, { kind: 'admin.mail_retried', at: core.clock.now(), actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { mail: id, kind: current.kind, to: current.to } });
    return ok;
  });
  if (!retried) throw new AuthError('conflict', 'Only a failed mail can be retried.');
  return getMail(core, actor, id);
}
