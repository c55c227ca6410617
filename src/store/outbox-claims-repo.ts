import { dialectOf, type Db, type RootDb } from './dialect/index.js';
import type { OutboxRow } from './outbox-repo.js';

/** The worker's side of the outbox: lease due rows, then settle each one. */

export interface ClaimRequest {
  workerId: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/**
 * Leases up to `limit` due rows to `workerId` in one statement. The inner SELECT is claimable
 * (FOR UPDATE SKIP LOCKED on PostgreSQL), so concurrent workers take disjoint rows without
 * waiting on each other; SQLite has a single writer, so the same UPDATE … RETURNING is atomic.
 */
export async function claimDueMail(db: Db, req: ClaimRequest): Promise<OutboxRow[]> {
  const due = dialectOf(db).claimable(
    db
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['pending', 'retry'])
      .where('next_attempt_at', '<=', req.now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', req.now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(req.limit),
  );
  const rows = await db
    .updateTable('outbox')
    .set({ claimed_by: req.workerId, claimed_until: req.now + req.leaseMs })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
}

/**
 * Records delivery whoever holds the lease (a sent mail is sent), and blanks the bodies:
 * they hold live codes and links that should not outlive their delivery in the database.
 */
export async function markMailSent(db: RootDb, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, text_body: '', html_body: '', claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'retry'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface FailedAttempt {
  attempts: number;
  error: string;
  /** Next try time, or undefined when the mail has used its attempts and is given up. */
  nextAttemptAt: number | undefined;
}

/** Records a failed try, only while `workerId` still holds the lease (else another worker owns the row now). */
export async function markMailAttemptFailed(db: RootDb, id: number, workerId: string, attempt: FailedAttempt): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: attempt.nextAttemptAt === undefined ? 'failed' : 'retry',
      attempts: attempt.attempts,
      last_error: attempt.error,
      ...(attempt.nextAttemptAt === undefined ? {} : { next_attempt_at: attempt.nextAttemptAt }),
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .where('claimed_by', '=', workerId)
    .where('status', 'in', ['pending', 'retry'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives back leases so another worker can take the rows at once instead of after the lease. */
export async function releaseMailClaims(db: RootDb, workerId: string, ids?: readonly number[]): Promise<number> {
  if (ids !== undefined && ids.length === 0) return 0;
  let query = db
    .updateTable('outbox')
    .set({ claimed_by: null, claimed_until: null })
    .where('claimed_by', '=', workerId)
    .where('status', 'in', ['pending', 'retry']);
  if (ids !== undefined) query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
