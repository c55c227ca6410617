import { sql } from 'kysely';
import { dialectOf, type Db, type RootDb, type Trx } from './dialect/index.js';
import { openTransaction } from './transaction.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhooks-repo.js';

/** The webhook worker's side of the deliveries: lease due rows (per-user order kept), then settle each one. */

export interface WebhookClaimRequest {
  workerId: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/** A queued delivery (never tried, or waiting for its next try) is `pending`: one status, so the claim walks (status, next_attempt_at) in order. */
const queued = 'pending';

export type ClaimedDelivery = WebhookDeliveryRow & { endpoint: Pick<WebhookEndpointRow, 'url' | 'secret_enc' | 'previous_secret_enc' | 'previous_secret_until'> };

/**
 * Leases up to `limit` due deliveries to `workerId` in one statement. A delivery is due only at the
 * head of its (endpoint, user) queue: while an earlier one of the same user is still pending
 * (claimed or not, first try or retry) the later one waits, so one user's events arrive in order. The check is
 * a seek on (endpoint_id, user_id, status, id); the inner SELECT is claimable (FOR UPDATE SKIP
 * LOCKED on PostgreSQL), so concurrent workers take disjoint rows, and a head leased by another
 * worker still blocks its followers (its status is unchanged while leased).
 */
export function claimDueDeliveries(db: RootDb, req: WebhookClaimRequest): Promise<ClaimedDelivery[]> {
  // Two statements in one transaction (the locks of SKIP LOCKED hold until the update): the
  // update then goes by primary key, whatever the planner thinks of an IN (subquery).
  return openTransaction(db, (trx) => claimIn(trx, req));
}

async function claimIn(db: Trx, req: WebhookClaimRequest): Promise<ClaimedDelivery[]> {
  const due = await dialectOf(db).claimable(
    db
      .selectFrom('webhook_deliveries as d')
      .select('d.id')
      .where('d.status', '=', queued)
      .where('d.next_attempt_at', '<=', req.now)
      .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', req.now)]))
      .where(({ not, exists, selectFrom }) =>
        not(exists(
          selectFrom('webhook_deliveries as e')
            .select(sql.lit(1).as('one'))
            .whereRef('e.endpoint_id', '=', 'd.endpoint_id')
            .whereRef('e.user_id', '=', 'd.user_id')
            .where('e.status', '=', queued)
            .whereRef('e.id', '<', 'd.id'),
        )))
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(req.limit),
  ).execute();
  if (due.length === 0) return [];
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ claimed_by: req.workerId, claimed_until: req.now + req.leaseMs })
    .where('id', 'in', due.map((d) => d.id))
    .returningAll()
    .execute();
  if (rows.length === 0) return [];
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'secret_enc', 'previous_secret_enc', 'previous_secret_until'])
    .where('id', 'in', [...new Set(rows.map((r) => r.endpoint_id))])
    .execute();
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  return rows
    .flatMap((r) => {
      const endpoint = byId.get(r.endpoint_id);
      return endpoint ? [{ ...r, endpoint }] : [];
    })
    .sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
}

export interface DeliveryOutcome {
  responseStatus: number | null;
  /** At most a short excerpt of the receiver's answer. */
  responseExcerpt: string | null;
}

/** Records delivery whoever holds the lease (a delivered event is delivered). */
export async function markDelivered(db: RootDb, id: number, now: number, outcome: DeliveryOutcome): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'delivered', delivered_at: now, last_error: null, response_status: outcome.responseStatus, response_excerpt: outcome.responseExcerpt, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', queued)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface FailedDelivery extends DeliveryOutcome {
  attempts: number;
  error: string;
  /** Next try time, or undefined when the delivery has used its attempts and is dead-lettered. */
  nextAttemptAt: number | undefined;
}

/** Records a failed try, only while `workerId` still holds the lease. */
export async function markDeliveryFailed(db: RootDb, id: number, workerId: string, attempt: FailedDelivery): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: attempt.nextAttemptAt === undefined ? 'failed' : 'pending',
      attempts: attempt.attempts,
      last_error: attempt.error,
      response_status: attempt.responseStatus,
      response_excerpt: attempt.responseExcerpt,
      ...(attempt.nextAttemptAt === undefined ? {} : { next_attempt_at: attempt.nextAttemptAt }),
      claimed_by: null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .where('claimed_by', '=', workerId)
    .where('status', '=', queued)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives back this worker's leases (on stop, or for rows of a batch it did not start). */
export async function releaseDeliveryClaims(db: Db, workerId: string, ids?: readonly number[]): Promise<number> {
  if (ids !== undefined && ids.length === 0) return 0;
  let query = db.updateTable('webhook_deliveries').set({ claimed_by: null, claimed_until: null }).where('claimed_by', '=', workerId).where('status', '=', queued);
  if (ids !== undefined) query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
