import type { Db } from '../context.js';
import { randomToken } from '../secrets.js';
import { enqueueWebhookDeliveries } from '../../store/webhooks-repo.js';

/** The events a webhook endpoint can subscribe to (docs/webhooks.md). */
export const webhookEventTypes = ['user.created', 'user.updated', 'user.deleted', 'user.deactivated', 'password.changed', 'session.revoked', 'mfa.changed'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /** When the change happened (ms). */
  at: number;
  /** The account it is about; one user's events are delivered in order. */
  userId: number | null;
  /** Who made the change (an administrator), when not the user. */
  actorId?: number | null;
  /** A few non-secret facts (which fields changed, which factor); never secrets or PII beyond ids. */
  data?: Record<string, string | number | boolean | null | string[]>;
}

/**
 * Which audited changes are which webhook event. The audit row is written in the transaction of
 * every change (core/audit.ts recordAudit), so hooking there reaches every use case that changes
 * an account, in that same transaction, without touching each one; a change that is not audited
 * calls `enqueueWebhookEvent` itself.
 */
// Keyed by the audit kinds core records (audit.ts AuditKind; not imported: audit.ts imports this file).
const byAuditKind: Partial<Record<string, WebhookEventType>> = {
  'user.registered': 'user.created',
  'admin.user_created': 'user.created',
  'admin.user_invited': 'user.created',
  'profile.updated': 'user.updated',
  'admin.user_updated': 'user.updated',
  'admin.user_activated': 'user.updated',
  'email.verified': 'user.updated',
  'account.deleted': 'user.deleted',
  'admin.user_deleted': 'user.deleted',
  'admin.user_deactivated': 'user.deactivated',
  'password.changed': 'password.changed',
  'password.reset': 'password.changed',
  'admin.password_set': 'password.changed',
  'session.revoked': 'session.revoked',
  'logout.all': 'session.revoked',
  'admin.sessions_revoked': 'session.revoked',
  'refresh.reuse_detected': 'session.revoked',
  'passkey.registered': 'mfa.changed',
  'passkey.removed': 'mfa.changed',
  'admin.mfa_reset': 'mfa.changed',
  'mfa.totp_enrolled': 'mfa.changed',
  'mfa.totp_removed': 'mfa.changed',
  'mfa.recovery_codes_generated': 'mfa.changed',
};

/** The audit kinds that become webhook events (the app wakes the webhook worker on them). */
export const webhookAuditKinds: ReadonlySet<string> = new Set(Object.keys(byAuditKind));

/** Detail keys safe to pass on (names of fields, factor kinds), never values a receiver should not see. */
const passedOn = ['fields', 'factor', 'kind', 'reason', 'count', 'method'] as const;

/**
 * Queues `event` for every enabled endpoint subscribed to it, through `trx` — call it inside the
 * change's transaction (inTransaction), so it commits with the change or not at all, and is
 * delivered at least once after.
 */
export async function enqueueWebhookEvent(trx: Db, event: WebhookEvent): Promise<void> {
  const eventId = `evt_${randomToken(16)}`;
  const payload = JSON.stringify({
    type: event.type,
    timestamp: new Date(event.at).toISOString(),
    data: { user_id: event.userId, actor_id: event.actorId ?? null, ...event.data },
  });
  await enqueueWebhookDeliveries(trx, { eventId, type: event.type, userId: event.userId, payload, now: event.at });
}

/** What recordAudit hands over (core/audit.ts AuditEvent; not imported, which would be a cycle). */
interface AuditedChange {
  kind: string;
  at: number;
  userId?: number | null;
  actorId?: number | null;
  detail?: Record<string, unknown>;
}

/** recordAudit's hook: the webhook event an audited change stands for, if any, queued in the same transaction. */
export async function enqueueForAudit(db: Db, e: AuditedChange): Promise<void> {
  const type = byAuditKind[e.kind];
  if (!type) return;
  const data: Record<string, string | number | boolean | null | string[]> = {};
  for (const key of passedOn) {
    const value = e.detail?.[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') data[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) data[key] = value as string[];
  }
  await enqueueWebhookEvent(db, { type, at: e.at, userId: e.userId ?? null, actorId: e.actorId ?? null, data });
}
