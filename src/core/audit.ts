import { recordAuditEvents } from '../store/audit-repo.js';
import type { Db } from './context.js';
import { emitCoreEvent } from './observers.js';
import { enqueueForAudit } from './webhooks/events.js';
import type { Locale } from './locales.js';

export type AuditKind =
  | 'user.registered'
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'logout.all'
  | 'session.revoked'
  | 'refresh.reuse_detected'
  | 'password.changed'
  | 'password.reset_requested'
  | 'password.reset'
  | 'email.verification_sent'
  | 'email.verified'
  | 'api_token.created'
  | 'api_token.deleted'
  | 'profile.updated'
  | 'account.deleted'
  | 'account.locked'
  | 'passkey.registered'
  | 'passkey.renamed'
  | 'passkey.removed'
  | 'passkey.used'
  | 'passkey.refused'
  | 'mfa.totp_enrolment_started'
  | 'mfa.totp_enrolled'
  | 'mfa.totp_removed'
  | 'mfa.recovery_codes_generated'
  | 'mfa.recovery_code_used'
  | 'mfa.challenge_issued'
  | 'mfa.verified'
  | 'mfa.verify_failed'
  | 'mfa.password_only_refused'
  | 'mfa.enrolment_required'
  | 'admin.mfa_reset'
  | 'admin.user_created'
  | 'admin.user_invited'
  | 'admin.user_updated'
  | 'admin.user_activated'
  | 'admin.user_deactivated'
  | 'admin.user_deleted'
  | 'admin.sessions_revoked'
  | 'admin.password_set'
  | 'admin.lock_cleared'
  | 'admin.setting_changed'
  | 'admin.mail_retried'
  | 'admin.users_imported'
  | 'admin.tokens_imported'
  | 'console.signed_in'
  | 'console.sign_in_failed'
  | 'console.signed_out'
  | 'keys.rotated'
  | 'admin.service_key_created'
  | 'admin.service_key_revoked'
  | 'admin.webhook_created'
  | 'admin.webhook_updated'
  | 'admin.webhook_deleted'
  | 'admin.webhook_secret_rotated'
  | 'admin.webhook_retried'
  | 'admin.oidc_client_created'
  | 'admin.oidc_client_revoked'
  | 'oidc.grant'
  | 'oidc.grant_failed'
  | 'oidc.authorization_failed'
  | 'oidc.refresh_reuse'
  | 'oidc.server_error';

export interface AuditEvent {
  kind: AuditKind;
  at: number;
  userId?: number | null;
  actorId?: number | null;
  ip?: string;
  userAgent?: string;
  detail?: Record<string, unknown>;
}

/** Who made a request, for audit rows and session records. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
  /** The shipped language the client prefers (Accept-Language), when it states one. */
  locale?: Locale;
}

const newAuditEvent = (e: AuditEvent) => ({
  at: e.at,
  kind: e.kind,
  userId: e.userId ?? null,
  actorId: e.actorId ?? null,
  ip: e.ip ?? '',
  userAgent: (e.userAgent ?? '').slice(0, 512),
  detail: JSON.stringify(e.detail ?? {}),
});

/** Writes `e` through `db` (usually the use case's transaction) and tells the observers (metrics). */
export function recordAudit(db: Db, e: AuditEvent): Promise<void> {
  return recordAudits(db, [e]);
}

/** recordAudit for several events in one INSERT (core/audit-buffer.ts). */
export async function recordAudits(db: Db, events: readonly AuditEvent[]): Promise<void> {
  await recordAuditEvents(db, events.map(newAuditEvent));
  // Account changes become webhook events in the same transaction (core/webhooks/events.ts).
  for (const e of events) await enqueueForAudit(db, e);
  for (const e of events) emitCoreEvent({ type: 'audit', kind: e.kind, reason: typeof e.detail?.reason === 'string' ? e.detail.reason : undefined });
}
