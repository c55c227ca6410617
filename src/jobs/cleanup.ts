import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { emitCoreEvent } from '../core/observers.js';
import { settingDefs, type RuntimeSettings } from '../core/settings.js';
import { asOnlyCleaner, cleanupBatchLimits, deleteExpiredBatch, type ExpiryRule } from '../store/cleanup-repo.js';
import { pruneExpiredOidcBatch } from '../store/oidc-repo.js';
import { recordCleanupRun } from '../store/system-facts-repo.js';
import type { RootDb } from '../store/dialect/index.js';
import { CleanupThread } from './cleanup-thread.js';
import type { CleanupCounts, CleanupPass } from './cleanup-pass.js';

export type { CleanupCounts, CleanupPass };

export interface CleanupContext {
  db: RootDb;
  clock: Clock;
  log: Logger;
  retentionSeconds: number;
  sessionIdleSeconds: number;
  /** The runtime settings (audit and mail retention), read at the start of each pass; absent: their defaults. */
  settings?: Pick<RuntimeSettings, 'get'>;
  /** Rows per delete statement (default: the dialect's `cleanupBatch.rows`). */
  batchSize?: number;
  /** Delete statements per rule per pass (default: the dialect's `cleanupBatch.batchesPerPass`): a pass is bounded, a backlog takes several. */
  maxBatches?: number;
  /** Runs the pass there (a SQLite file: its own connection) instead of on this event loop. */
  thread?: CleanupThread;
  /** True once the pass should end: it stops after its current batch (shutdown). */
  stopping?: () => boolean;
}

/** After each batch the job rests as long as the batch took (at most this), so requests get at least half the time. */
const maxRestMs = 250;

const dayMs = 86_400_000;

/**
 * A revoked session stays listed until no access token it issued can be alive: the longest
 * access-token lifetime the settings allow, plus a minute of clock skew.
 */
const revokedKeepMs = (settingDefs.access_token_ttl.max + 60) * 1000;

/**
 * Deletes the rows of `rule` older than `before`, a batch per statement and at most a pass's
 * worth of statements, letting queued requests run between statements (in-process SQLite runs
 * each one on the event loop) and resting as long as each batch took (on the cleanup thread, the
 * rest leaves the write lock free for the server's own writes), until `stopping()`.
 */
function batchedDeletes(db: RootDb, pass: CleanupPass, stopping: () => boolean) {
  const limits = cleanupBatchLimits(db);
  const size = pass.batchSize ?? limits.rows;
  const maxBatches = pass.maxBatches ?? limits.batchesPerPass;
  // A rule name, or a batch deleter of its own (the OpenID provider's state, keyed by two columns).
  return async (rule: ExpiryRule | ((size: number) => Promise<number>), before: number): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      await setImmediate();
      if (stopping()) break;
      const started = performance.now();
      const n = typeof rule === 'function' ? await rule(size) : await deleteExpiredBatch(db, rule, before, size);
      total += n;
      if (n < size) break;
      await sleep(Math.min(performance.now() - started, maxRestMs));
    }
    return total;
  };
}

/**
 * One cleanup pass over `db`: the same statements whether it runs here (PostgreSQL, `:memory:`)
 * or on the cleanup thread over its own connection (a SQLite file, src/jobs/cleanup-worker.ts).
 */
export async function deleteExpired(db: RootDb, pass: CleanupPass, stopping: () => boolean = () => false): Promise<CleanupCounts> {
  const del = batchedDeletes(db, pass, stopping);
  const now = pass.now;
  const setting = (key: keyof CleanupPass['retentionDays']) => pass.retentionDays[key];
  const cut = now - pass.retentionSeconds * 1000;
  const idleCut = cut - pass.sessionIdleSeconds * 1000;
  const revokedCut = Math.min(cut, now - revokedKeepMs);
  const auditCut = now - setting('audit_retention_days') * dayMs;
  const mailCut = now - setting('outbox_retention_days') * dayMs;
  const sessions = (await del('sessions.expired', cut)) + (await del('sessions.idle', idleCut)) + (await del('sessions.revoked', revokedCut));
  const refresh_tokens = await del('refresh_tokens.expired', cut);
  const codes = (await del('one_time_codes.expired', cut)) + (await del('one_time_codes.consumed', cut));
  // Reset decoys stand in for real reset requests, so they go by the same rule (counted with them).
  const decoys = await del('reset_decoys.expired', cut);
  // An expired passkey challenge can no longer be used (core/mfa/passkeys.ts): it goes at once, counted with the codes.
  const challenges = await del('webauthn_challenges.expired', now);
  // Expired OpenID provider state (codes, tokens, sessions, interactions) is useless at once; counted with the codes.
  const oidcState = await del((size) => pruneExpiredOidcBatch(db, now, size), now);
  // An expired enrolment token (core/mfa/enrolment-session.ts) opens nothing: it goes at once, counted with the codes.
  const enrolmentTokens = await del('mfa_enrolment_tokens.expired', now);
  // An expired (or used) mfa_token (core/mfa/mfa-token.ts) lets nobody in: it goes once expired, counted with the codes.
  const mfaTokens = await del('mfa_tokens.expired', now);
  const console_sessions = await del('console_sessions.expired', cut);
  // An expired device token skips nothing (core/device-tokens.ts), so it goes at once.
  const device_tokens = await del('device_tokens.expired', now);
  const audit_events = await del('audit_events.old', auditCut);
  const outbox = (await del('outbox.sent', mailCut)) + (await del('outbox.failed', mailCut));
  // Webhook deliveries, done or dead-lettered, go after the mail retention too.
  const webhook_deliveries = (await del('webhook_deliveries.delivered', mailCut)) + (await del('webhook_deliveries.failed', mailCut));
  // Records of old Django tokens (src/core/django-tokens) go a minute (of clock skew) after the token expired; counted with the codes.
  const djangoTokenUses = await del('django_token_uses.expired', now - 60_000);
  return { sessions, refresh_tokens, one_time_codes: codes + decoys + challenges + enrolmentTokens + mfaTokens + oidcState + djangoTokenUses, console_sessions, device_tokens, audit_events, outbox, webhook_deliveries };
}

/**
 * Deletes rows that no longer matter, once `retentionSeconds` have passed (kept that long for
 * support and audit questions), audit events and finished mail after their retention settings. One instance at a time runs it
 * (on PostgreSQL an advisory lock per schema; the others skip this round), so with many instances each row is deleted once.
 * Returns undefined when another instance holds the lock.
 */
export async function deleteExpiredRows(ctx: CleanupContext): Promise<CleanupCounts | undefined> {
  const now = ctx.clock.now();
  const setting = (key: keyof CleanupPass['retentionDays']) => ctx.settings?.get(key) ?? settingDefs[key].initial();
  const pass: CleanupPass = {
    now,
    retentionSeconds: ctx.retentionSeconds,
    sessionIdleSeconds: ctx.sessionIdleSeconds,
    retentionDays: { audit_retention_days: setting('audit_retention_days'), outbox_retention_days: setting('outbox_retention_days') },
    batchSize: ctx.batchSize,
    maxBatches: ctx.maxBatches,
  };
  const thread = ctx.thread;
  const counts = await asOnlyCleaner(ctx.db, (conn) => (thread ? thread.run(pass) : deleteExpired(conn, pass, ctx.stopping)));
  if (counts === undefined) return undefined;
  await recordCleanupRun(ctx.db, now); // the System page shows when cleanup last ran on any instance
  for (const [table, rows] of Object.entries(counts)) if (rows > 0) emitCoreEvent({ type: 'cleanup', table, rows });
  if (Object.values(counts).some((n) => n > 0)) ctx.log.info({ deleted: counts }, 'cleanup: expired rows deleted');
  return counts;
}

export interface CleanupJobContext extends Omit<CleanupContext, 'thread' | 'stopping'> {
  /**
   * The SQLite database file (not `:memory:`, which one connection owns): passes then run on a
   * worker thread with a connection of their own, since better-sqlite3 blocks the thread it runs on.
   */
  sqliteFile?: string;
}

/**
 * Runs `deleteExpiredRows` every `intervalMs` (with jitter, so instances started together spread out),
 * on the cleanup thread for a SQLite file.
 */
export class CleanupJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly ctx: CleanupContext;

  constructor(
    ctx: CleanupJobContext,
    private readonly intervalMs = 10 * 60_000,
  ) {
    const { sqliteFile, ...rest } = ctx;
    const thread = sqliteFile === undefined ? undefined : new CleanupThread(sqliteFile, ctx.log);
    this.ctx = { ...rest, thread, stopping: () => this.stopped };
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule(30_000 + Math.random() * 30_000);
  }

  /** Ends a round in progress after its current batch (a delete is never cut in half) and the cleanup thread. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ctx.thread?.close();
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = deleteExpiredRows(this.ctx)
        .catch((err: unknown) => this.ctx.log.warn({ err }, 'cleanup failed; retried next round'))
        .finally(() => {
          if (!this.stopped) this.schedule(this.intervalMs * (0.9 + Math.random() * 0.2));
        });
    }, delayMs);
    this.timer.unref();
  }
}
