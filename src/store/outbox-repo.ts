import { sql, type Selectable } from 'kysely';
import { countUpTo, type BoundedCount } from './bounded-count.js';
import type { Db } from './dialect/index.js';
import type { OutboxTable } from './schema.js';

/**
 * `pending` → (`retry` →)* `sent` | `failed`. A claimed row keeps its status; the lease
 * lives in `claimed_by` / `claimed_until`.
 */
export const outboxStatuses = ['pending', 'retry', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Writes one mail due at `now` through `db`, so it commits or rolls back with the caller's transaction. */
export async function insertOutboxMail(db: Db, mail: NewOutboxMail, now: number): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      kind: mail.kind,
      to_addr: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

/** Puts a `failed` mail back in the queue, due at `now`, with a fresh attempt budget; false when `id` is not a failed mail. */
export async function requeueFailedMail(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const summaryColumns = ['id', 'kind', 'to_addr', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'next_attempt_at', 'sent_at'] as const;
export type OutboxSummaryRow = Pick<OutboxRow, (typeof summaryColumns)[number]>;

/** Up to `limit` mails, newest first, optionally of one status and older than `beforeId` (the `(status, id)` index). */
export async function mailPage(db: Db, query: { status?: OutboxStatus; beforeId?: number }, limit: number): Promise<OutboxSummaryRow[]> {
  let q = db.selectFrom('outbox').select(summaryColumns).orderBy('id', 'desc').limit(limit);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** One mail with its bodies, or undefined. */
export async function mailById(db: Db, id: number): Promise<(OutboxSummaryRow & Pick<OutboxRow, 'text_body' | 'html_body'>) | undefined> {
  const row = await db.selectFrom('outbox').select([...summaryColumns, 'text_body', 'html_body']).where('id', '=', id).executeTakeFirst();
  return row && { ...row, id: Number(row.id) };
}

export interface OutboxStats {
  /** Mails by status, exact up to `countCap` (10,000); at the cap for the statuses in `capped`. */
  counts: Record<OutboxStatus, number>;
  /** The statuses with more than `countCap` mails. */
  capped: OutboxStatus[];
  /** When the queued mail (pending or retry) due longest ago became due (ms), or null when none is due (retries wait out their backoff). */
  oldest_due_at: number | null;
}

/** Statuses still queued for delivery: the backlog. */
const queued = ['pending', 'retry'] as const satisfies readonly OutboxStatus[];

/** Mail per status, each counted through the `(status, id)` index up to the cap (in `outboxStatuses` order). */
export function outboxStatusCounts(db: Db): Promise<BoundedCount[]> {
  return Promise.all(outboxStatuses.map((status) => countUpTo(db, db.selectFrom('outbox').select(sql.lit(1).as('one')).where('status', '=', status))));
}

/**
 * Mail counts by status and the age of the backlog, for metrics and the console. Each count
 * reads the `(status, id)` index up to the cap and the oldest due time is one row of the
 * `(status, next_attempt_at)` index per queued status, so neither grows with sent history.
 */
export async function outboxStats(db: Db, now: number): Promise<OutboxStats> {
  const [counts, due] = await Promise.all([
    outboxStatusCounts(db),
    Promise.all(queued.map((status) =>
      db.selectFrom('outbox').select('next_attempt_at').where('status', '=', status).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(1).executeTakeFirst())),
  ]);
  const dueAt = due.flatMap((row) => (row ? [Number(row.next_attempt_at)] : []));
  return {
    counts: Object.fromEntries(outboxStatuses.map((status, i) => [status, counts[i]!.n])) as Record<OutboxStatus, number>,
    capped: outboxStatuses.filter((_, i) => counts[i]!.capped),
    oldest_due_at: dueAt.length ? Math.min(...dueAt) : null,
  };
}
