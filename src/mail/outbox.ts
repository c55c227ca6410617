import type { Selectable } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/context.js';
import type { OutboxTable } from '../store/schema.js';
import type { RenderedMail } from './templates.js';

/**
 * `pending` → (`retry` →)* `sent` | `failed`. A claimed row keeps its status; the lease
 * lives in `claimed_by` / `claimed_until`.
 */
export const outboxStatuses = ['pending', 'retry', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxMail extends RenderedMail {
  kind: string;
  to: string;
}

/** Writes one due mail through `db`, so it commits or rolls back with the caller's transaction. */
export async function insertOutboxMail(db: Db, mail: NewOutboxMail, clock: Clock): Promise<void> {
  const now = clock.now();
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

/** Puts a `failed` mail back in the queue with a fresh attempt budget; false when `id` is not a failed mail. */
export async function retryMail(db: Db, id: number, clock: Clock): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: clock.now(), claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Mail counts by status, every status present (zero when none), for metrics and the console. */
export async function outboxStats(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  const stats: Record<OutboxStatus, number> = { pending: 0, retry: 0, sent: 0, failed: 0 };
  for (const row of rows) {
    if ((outboxStatuses as readonly string[]).includes(row.status)) stats[row.status as OutboxStatus] = Number(row.n);
  }
  return stats;
}
