/** What a cleanup pass needs, as plain data: it crosses to the cleanup thread (cleanup-thread.ts). */
export interface CleanupPass {
  retentionSeconds: number;
  sessionIdleSeconds: number;
  /** Rows per delete statement (default: the dialect's `cleanupBatch.rows`). */
  batchSize?: number;
  /** Delete statements per rule per pass (default: the dialect's `cleanupBatch.batchesPerPass`). */
  maxBatches?: number;
  now: number;
  /** The retention settings, read when the pass starts. */
  retentionDays: Record<'audit_retention_days' | 'outbox_retention_days', number>;
}

/** Rows a pass deleted, per table. */
export type CleanupCounts = Record<'sessions' | 'refresh_tokens' | 'one_time_codes' | 'console_sessions' | 'device_tokens' | 'audit_events' | 'outbox' | 'webhook_deliveries', number>;
