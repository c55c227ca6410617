import { recordAudit, type AuditKind } from '../audit.js';
import type { Core } from '../core.js';
import type { AdminActor } from '../admin/permissions.js';
import { AuthError, FieldErrorBag } from '../errors.js';
import { randomToken, seal, unseal } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import { isStorableText } from '../users/normalize.js';
import {
  countWebhookEndpoints, deleteWebhookEndpoint, findWebhookEndpoint, insertWebhookEndpoint, listWebhookEndpoints, lockWebhookEndpointCreation,
  requeueFailedDelivery, updateWebhookEndpoint, webhookDeliveryPage, type DeliveryStatus, type WebhookDeliverySummary, type WebhookEndpointRow,
} from '../../store/webhooks-repo.js';
import { webhookUrlProblem } from './address-policy.js';
import { webhookEventTypes, type WebhookEventType } from './events.js';
import { newWebhookSecret } from './signature.js';

export type { DeliveryStatus, WebhookDeliverySummary };
export { deliveryStatuses } from '../../store/webhooks-repo.js';

const sealPurpose = 'webhook-secret';
const maxEndpoints = 50;
/** After a rotation the old secret keeps signing (next to the new one) this long. */
export const previousSecretGraceMs = 24 * 3_600_000;
export const webhookIdPattern = '^wh_[A-Za-z0-9_-]{1,40}$';

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** `['*']` for every event. */
  events: string[];
  enabled: boolean;
  created_at: number;
  updated_at: number;
  created_by: number | null;
  /** Until when the secret before the last rotation still signs, or null. */
  previous_secret_until: number | null;
}

export interface WebhookEndpointInput {
  url?: unknown;
  description?: unknown;
  events?: unknown;
  enabled?: unknown;
}

const view = (row: WebhookEndpointRow): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events === '*' ? ['*'] : row.events.split(',').filter(Boolean),
  enabled: row.enabled === 1,
  created_at: row.created_at,
  updated_at: row.updated_at,
  created_by: row.created_by,
  previous_secret_until: row.previous_secret_until,
});

function checked(core: Core, input: WebhookEndpointInput, partial: boolean): Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'events' | 'enabled'>> {
  const errors = new FieldErrorBag();
  const out: Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'events' | 'enabled'>> = {};
  if (input.url !== undefined || !partial) {
    if (typeof input.url !== 'string' || input.url.length === 0 || input.url.length > 2000) errors.add('url', 'Enter a URL of at most 2000 characters.');
    else {
      const problem = webhookUrlProblem(input.url, core.config.webhookAllowPrivate);
      if (problem) errors.add('url', problem);
      else out.url = new URL(input.url).href;
    }
  }
  if (input.events !== undefined || !partial) {
    const events = input.events;
    if (!Array.isArray(events) || events.length === 0 || events.length > webhookEventTypes.length + 1 || !events.every((e) => typeof e === 'string')) {
      errors.add('events', `List the events to send: ["*"] or some of ${webhookEventTypes.join(', ')}.`);
    } else if (events.includes('*')) {
      if (events.length > 1) errors.add('events', '"*" stands alone: it already means every event.');
      else out.events = '*';
    } else {
      const unknown = events.filter((e) => !(webhookEventTypes as readonly string[]).includes(e as string));
      if (unknown.length) errors.add('events', `Unknown event: ${unknown.slice(0, 3).join(', ').slice(0, 200)}.`);
      else out.events = `,${webhookEventTypes.filter((t) => events.includes(t)).join(',')},`;
    }
  }
  if (input.description !== undefined) {
    if (typeof input.description !== 'string' || input.description.length > 200) errors.add('description', 'At most 200 characters.');
    else if (!isStorableText(input.description)) errors.add('description', 'Control characters and invalid Unicode are not allowed.');
    else out.description = input.description.trim();
  }
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') errors.add('enabled', 'true or false.');
    else out.enabled = input.enabled ? 1 : 0;
  }
  errors.throwIfAny();
  return out;
}

function audit(core: Core, trx: Parameters<typeof recordAudit>[0], kind: AuditKind, actor: AdminActor | undefined, detail: Record<string, unknown>) {
  return recordAudit(trx, { kind, at: core.clock.now(), actorId: actor?.user.id ?? null, ip: actor?.meta.ip ?? 'cli', userAgent: actor?.meta.userAgent, detail });
}

/** Registers an endpoint; its signing secret is returned this once and stored sealed (it must sign, so not a digest). */
export async function createWebhookEndpoint(core: Core, input: WebhookEndpointInput, actor?: AdminActor): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const fields = checked(core, input, false);
  const now = core.clock.now();
  const secret = newWebhookSecret();
  const row: WebhookEndpointRow = {
    id: `wh_${randomToken(12)}`,
    url: fields.url!,
    description: fields.description ?? '',
    events: fields.events!,
    enabled: fields.enabled ?? 1,
    secret_enc: seal(core.secretKey, sealPurpose, secret),
    previous_secret_enc: null,
    previous_secret_until: null,
    created_at: now,
    updated_at: now,
    created_by: actor?.user.id ?? null,
  };
  await inTransaction(core, async (trx) => {
    await lockWebhookEndpointCreation(trx);
    if ((await countWebhookEndpoints(trx)) >= maxEndpoints) {
      throw new AuthError('validation_failed', 'Too many webhook endpoints.', { non_field_errors: [`Delete an endpoint before adding another (${maxEndpoints} at most).`] });
    }
    await insertWebhookEndpoint(trx, row);
    await audit(core, trx, 'admin.webhook_created', actor, { id: row.id, url: row.url, events: row.events });
  });
  return { endpoint: view(row), secret };
}

export async function listAllWebhookEndpoints(core: Core): Promise<WebhookEndpointView[]> {
  return (await listWebhookEndpoints(core.db)).map(view);
}

export async function webhookEndpoint(core: Core, id: string): Promise<WebhookEndpointView> {
  const row = await findWebhookEndpoint(core.db, id);
  if (!row) throw new AuthError('not_found', 'No such webhook endpoint.');
  return view(row);
}

export async function updateWebhookEndpointById(core: Core, id: string, input: WebhookEndpointInput, actor?: AdminActor): Promise<WebhookEndpointView> {
  const fields = checked(core, input, true);
  const row = await inTransaction(core, async (trx) => {
    const updated = await updateWebhookEndpoint(trx, id, { ...fields, updated_at: core.clock.now() });
    if (updated) await audit(core, trx, 'admin.webhook_updated', actor, { id, changed: Object.keys(fields) });
    return updated;
  });
  if (!row) throw new AuthError('not_found', 'No such webhook endpoint.');
  return view(row);
}

/** Deletes the endpoint and every delivery queued or recorded for it. */
export async function deleteWebhookEndpointById(core: Core, id: string, actor?: AdminActor): Promise<void> {
  const row = await inTransaction(core, async (trx) => {
    const deleted = await deleteWebhookEndpoint(trx, id);
    if (deleted) await audit(core, trx, 'admin.webhook_deleted', actor, { id, url: deleted.url });
    return deleted;
  });
  if (!row) throw new AuthError('not_found', 'No such webhook endpoint.');
}

/** A new secret, returned this once; the old one keeps signing alongside for `previousSecretGraceMs`. */
export async function rotateWebhookSecret(core: Core, id: string, actor?: AdminActor): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const secret = newWebhookSecret();
  const now = core.clock.now();
  const row = await inTransaction(core, async (trx) => {
    const current = await findWebhookEndpoint(trx, id);
    if (!current) return undefined;
    const updated = await updateWebhookEndpoint(trx, id, {
      secret_enc: seal(core.secretKey, sealPurpose, secret),
      previous_secret_enc: current.secret_enc,
      previous_secret_until: now + previousSecretGraceMs,
      updated_at: now,
    });
    await audit(core, trx, 'admin.webhook_secret_rotated', actor, { id });
    return updated;
  });
  if (!row) throw new AuthError('not_found', 'No such webhook endpoint.');
  return { endpoint: view(row), secret };
}

/** The secrets an attempt is signed with now: the current one, and the previous one during its grace. */
export function signingSecrets(secretKey: string, endpoint: Pick<WebhookEndpointRow, 'secret_enc' | 'previous_secret_enc' | 'previous_secret_until'>, now: number): string[] {
  const secrets = [unseal(secretKey, sealPurpose, endpoint.secret_enc)];
  if (endpoint.previous_secret_enc && (endpoint.previous_secret_until ?? 0) > now) secrets.push(unseal(secretKey, sealPurpose, endpoint.previous_secret_enc));
  return secrets;
}

export async function webhookDeliveries(core: Core, query: { endpointId?: string; status?: DeliveryStatus; beforeId?: number }, limit = 50): Promise<WebhookDeliverySummary[]> {
  if (query.endpointId !== undefined) await webhookEndpoint(core, query.endpointId);
  return webhookDeliveryPage(core.db, query, limit);
}

/** Puts a dead letter back in its queue with a fresh attempt budget (audited). */
export async function retryWebhookDelivery(core: Core, id: number, actor?: AdminActor): Promise<WebhookDeliverySummary> {
  const row = await inTransaction(core, async (trx) => {
    const requeued = await requeueFailedDelivery(trx, id, core.clock.now());
    if (requeued) await audit(core, trx, 'admin.webhook_retried', actor, { delivery: id, endpoint: requeued.endpoint_id, event: requeued.event_type });
    return requeued;
  });
  if (!row) throw new AuthError('not_found', 'No dead-lettered delivery with this id.');
  return row;
}

export type { WebhookEventType };
