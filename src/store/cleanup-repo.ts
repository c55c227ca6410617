import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { dialectOf, type RootDb } from './dialect/index.js';
import type { Database } from './schema.js';

type Column<T extends keyof Database> = keyof Database[T] & string;
type Where<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;

interface Rule<T extends keyof Database> {
  table: T;
  /** The primary key the delete picks rows by. */
  key: Column<T>;
  /** The indexed time a row is older than the cut by (migration 007). */
  column: Column<T>;
  also?: (before: number) => Where<T>;
}

const rule = <T extends keyof Database>(r: Rule<T>) => r as unknown as Rule<keyof Database>;

/**
 * What each cleanup rule deletes: rows whose `column` is before the rule's cut. One rule per
 * statement (not an OR), so each is a range on its own index. Refresh tokens also go with their
 * session (ON DELETE CASCADE).
 */
export const expiryRules = {
  'sessions.expired': rule({ table: 'sessions', key: 'id', column: 'expires_at' }),
  'sessions.idle': rule({ table: 'sessions', key: 'id', column: 'last_used_at' }),
  'sessions.revoked': rule({ table: 'sessions', key: 'id', column: 'revoked_at' }),
  'refresh_tokens.expired': rule({ table: 'refresh_tokens', key: 'token_hash', column: 'expires_at' }),
  'one_time_codes.expired': rule({ table: 'one_time_codes', key: 'id', column: 'expires_at' }),
  'one_time_codes.consumed': rule({ table: 'one_time_codes', key: 'id', column: 'consumed_at' }),
  'reset_decoys.expired': rule({ table: 'reset_decoys', key: 'id', column: 'expires_at' }),
  'console_sessions.expired': rule({ table: 'console_sessions', key: 'id_hash', column: 'expires_at' }),
  'device_tokens.expired': rule({ table: 'device_tokens', key: 'id', column: 'expires_at' }),
  'webauthn_challenges.expired': rule({ table: 'webauthn_challenges', key: 'challenge', column: 'expires_at' }),
  'mfa_enrolment_tokens.expired': rule({ table: 'mfa_enrolment_tokens', key: 'token_hash', column: 'expires_at' }),
  'mfa_tokens.expired': rule({ table: 'mfa_tokens', key: 'token_hash', column: 'expires_at' }),
  // An old Django credential's record (migration 018) past its token's `exp`: no such token can be presented any more
  // (verification refuses it first). Rows without an expiry (copied DRF keys, access-ended marks) are kept.
  'django_token_uses.expired': rule({ table: 'django_token_uses', key: 'token_id', column: 'expires_at' }),
  'audit_events.old': rule({ table: 'audit_events', key: 'id', column: 'at' }),
  // Mail is timed by its last attempt: a failed row keeps next_attempt_at at its last try's due time,
  // and a sent row was due before it went (next_attempt_at <= sent_at), so both ranges are on the
  // outbox_due index (status, next_attempt_at). Pending and retrying mail is never deleted.
  'outbox.sent': rule({ table: 'outbox', key: 'id', column: 'next_attempt_at', also: (before) => (eb) => eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', before)]) }),
  'outbox.failed': rule({ table: 'outbox', key: 'id', column: 'next_attempt_at', also: () => (eb) => eb('status', '=', 'failed') }),
  // Webhook deliveries likewise, on webhook_deliveries_due (status, next_attempt_at); queued ones are never deleted.
  'webhook_deliveries.delivered': rule({ table: 'webhook_deliveries', key: 'id', column: 'next_attempt_at', also: (before) => (eb) => eb.and([eb('status', '=', 'delivered'), eb('delivered_at', '<', before)]) }),
  'webhook_deliveries.failed': rule({ table: 'webhook_deliveries', key: 'id', column: 'next_attempt_at', also: () => (eb) => eb('status', '=', 'failed') }),
} satisfies Record<string, Rule<keyof Database>>;

export type ExpiryRule = keyof typeof expiryRules;

/**
 * Deletes up to `size` rows of `ruleName` older than `before`; returns how many. The batch is picked
 * by a range scan of the rule's time index in index order, so it reads only the rows it deletes
 * whatever the planner knows, and the delete is primary-key lookups (`inSmallSet`).
 */
export async function deleteExpiredBatch(db: RootDb, ruleName: ExpiryRule, before: number, size: number): Promise<number> {
  const r: Rule<keyof Database> = expiryRules[ruleName];
  const key: string = r.key;
  const column: string = r.column;
  // The rules are typed per table above; the statement is built once for any of them.
  const anyDb = db as unknown as Kysely<any>;
  let batch = anyDb.selectFrom(r.table).select(key).where(column, '<', before);
  if (r.also) batch = batch.where(r.also(before) as Where<any>);
  batch = batch.orderBy(column).limit(size);
  const result = await anyDb.deleteFrom(r.table).where(dialectOf(db).inSmallSet(sql.ref(key), batch)).executeTakeFirstOrThrow();
  return Number(result.numDeletedRows);
}

/** Rows per delete statement and statements per rule and pass that suit this database (see `SqlDialect.cleanupBatch`). */
export function cleanupBatchLimits(db: RootDb): { rows: number; batchesPerPass: number } {
  return dialectOf(db).cleanupBatch;
}

/**
 * Runs `work` as the only cleaner of this schema: with another instance's pass under way it
 * returns undefined at once (an advisory lock on PostgreSQL). `work` gets the connection holding it.
 */
export function asOnlyCleaner<T>(db: RootDb, work: (db: RootDb) => Promise<T>): Promise<T | undefined> {
  return dialectOf(db).exclusively(db, 'cleanup', work);
}
