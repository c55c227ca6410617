import { mailById, mailPage, requeueFailedMail, type OutboxStatus, type OutboxSummaryRow } from '../../store/outbox-repo.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { AuthError } from '../errors.js';
import { inTransaction } from '../transaction.js';
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

/** What reading the outbox needs; retrying a mail also logs effects that fail. */
export type OutboxReadCtx = Pick<Ctx, 'db'>;
export type OutboxAdminCtx = Pick<Ctx, 'db' | 'clock' | 'log'>;

function summary(row: OutboxSummaryRow): MailSummary {
  const { to_addr, ...rest } = row;
  return { ...rest, to: to_addr };
}

/** Outbox rows, newest first, optionally of one status. */
export async function listMail(ctx: OutboxReadCtx, query: { status?: OutboxStatus; cursor?: string; limit?: number }): Promise<{ items: MailSummary[]; next_cursor: string | null }> {
  const limit = pageSize(query.limit, 200);
  const scope = `mail:${query.status ?? ''}`;
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, scope, 'none');
  const rows = await mailPage(ctx.db, { status: query.status, beforeId: before?.id }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(summary), next_cursor: rows.length > limit && last ? encodeCursor(scope, { id: last.id }) : null };
}

export async function getMail(ctx: OutboxReadCtx, actor: AdminActor, id: number): Promise<MailDetail> {
  const row = Number.isSafeInteger(id) ? await mailById(ctx.db, id) : undefined;
  if (!row) throw new AuthError('not_found', 'No such mail.');
  const { text_body, html_body, ...rest } = row;
  const showBody = actor.user.is_superuser && row.status !== 'sent';
  return { ...summary(rest), text_body: showBody ? text_body : null, html_body: showBody ? html_body : null };
}

/** Queues a failed mail again with a fresh attempt budget. */
export async function retryFailedMail(ctx: OutboxAdminCtx, actor: AdminActor, id: number): Promise<MailDetail> {
  const current = await getMail(ctx, actor, id);
  if (current.status !== 'failed') throw new AuthError('conflict', 'Only a failed mail can be retried.');
  const retried = await inTransaction(ctx, async (trx) => {
    const now = ctx.clock.now();
    const ok = await requeueFailedMail(trx, id, now);
    if (ok) await recordAudit(trx, { kind: 'admin.mail_retried', at: now, actorId: actor.user.id, ip: actor.meta.ip, userAgent: actor.meta.userAgent, detail: { mail: id, kind: current.kind, to: current.to } });
    return ok;
  });
  if (!retried) throw new AuthError('conflict', 'Only a failed mail can be retried.');
  return getMail(ctx, actor, id);
}
