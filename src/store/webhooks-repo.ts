import { sql, type Selectable } from 'kysely';
import { dialectOf, type Db, type Trx } from './dialect/index.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.js';

/** `pending` (first try or retry, `attempts` says) → `delivered` | `failed` (the dead letters). A claimed row keeps its status. */
export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function insertWebhookEndpoint(db: Db, row: WebhookEndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

/** Serialises endpoint creations until `trx` ends, so the cap check cannot go stale. */
export async function lockWebhookEndpointCreation(trx: Trx): Promise<void> {
  await dialectOf(trx).lockForTransaction(trx, 'webhook-endpoint-create');
}

export async function countWebhookEndpoints(db: Db): Promise<number> {
  const row = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every endpoint (there are at most a few dozen), newest first. */
export function listWebhookEndpoints(db: Db): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export function findWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateWebhookEndpoint(db: Db, id: string, changes: Partial<Omit<WebhookEndpointRow, 'id' | 'created_at' | 'created_by'>>): Promise<WebhookEndpointRow | undefined> {
  return db.updateTable('webhook_endpoints').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes the endpoint and (ON DELETE CASCADE) its deliveries. */
export async function deleteWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.deleteFrom('webhook_endpoints').where('id', '=', id).returningAll().executeTakeFirst();
}

export interface NewWebhookEvent {
  eventId: string;
  type: string;
  userId: number | null;
  payload: string;
  now: number;
}

/**
 * Queues `event` for every enabled endpoint that takes its type, in one INSERT … SELECT through
 * `db` (the change's transaction), so a rolled-back change queues nothing. Endpoints are a small
 * table (capped); the filter is `*` or a `,type,` list (event types hold no LIKE wildcards).
 */
export async function enqueueWebhookDeliveries(db: Db, event: NewWebhookEvent): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .columns(['endpoint_id', 'event_id', 'event_type', 'user_id', 'payload', 'status', 'attempts', 'next_attempt_at', 'created_at'])
    .expression(
      db
        .selectFrom('webhook_endpoints')
        .select((eb) => [
          'id',
          eb.cast<string>(eb.val(event.eventId), 'text').as('event_id'),
          eb.cast<string>(eb.val(event.type), 'text').as('event_type'),
          event.userId === null ? sql<null>`null`.as('user_id') : eb.cast<number>(eb.val(event.userId), 'bigint').as('user_id'),
          eb.cast<string>(eb.val(event.payload), 'text').as('payload'),
          sql.lit('pending').as('status'),
          sql.lit(0).as('attempts'),
          eb.cast<number>(eb.val(event.now), 'bigint').as('next_attempt_at'),
          eb.cast<number>(eb.val(event.now), 'bigint').as('created_at'),
        ])
        .where('enabled', '=', 1)
        .where((eb) => eb.or([eb('events', '=', '*'), eb('events', 'like', `%,${event.type},%`)])),
    )
    .execute();
}

const summaryColumns = ['id', 'endpoint_id', 'event_id', 'event_type', 'user_id', 'status', 'attempts', 'next_attempt_at', 'last_error', 'response_status', 'response_excerpt', 'created_at', 'delivered_at'] as const;
export type WebhookDeliverySummary = Pick<WebhookDeliveryRow, (typeof summaryColumns)[number]>;

/** Up to `limit` deliveries, newest first: of one endpoint (`(endpoint_id, id)`) or of one status (`(status, id)`), before `beforeId`. */
export async function webhookDeliveryPage(db: Db, query: { endpointId?: string; status?: DeliveryStatus; beforeId?: number }, limit: number): Promise<WebhookDeliverySummary[]> {
  let q = db.selectFrom('webhook_deliveries').select(summaryColumns).orderBy('id', 'desc').limit(limit);
  if (query.endpointId !== undefined) q = q.where('endpoint_id', '=', query.endpointId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
  return q.execute();
}

/** Puts a dead-lettered delivery back in the queue, due at `now`, with a fresh attempt budget; undefined when `id` is not a dead letter. */
export async function requeueFailedDelivery(db: Db, id: number, now: number): Promise<WebhookDeliverySummary | undefined> {
  return db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claimed_by: null, claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returning(summaryColumns)
    .executeTakeFirst();
}
