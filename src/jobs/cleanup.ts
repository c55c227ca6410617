import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { emitCoreEvent } from '../core/observers.js';
import { settingDefs, type RuntimeSettings } from '../core/settings.js';
import type { DialectName } from '../store/db.js';
import type { Database } from '../store/schema.js';

export interface CleanupContext {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  log: Logger;
  retentionSeconds: number;
  sessionIdleSeconds: number;
  /** The runtime settings (audit and mail retention), read at the start of each pass; absent: their defaults. */
  settings?: Pick<RuntimeSettings, 'get'>;
  /** Rows per delete statement (default `cleanupBatchSize`). */
  batchSize?: number;
  /** Delete statements per rule per pass (default `cleanupMaxBatches`): a pass is bounded, a backlog takes several. */
  maxBatches?: number;
}

export type CleanupCounts = Record<'sessions' | 'refresh_tokens' | 'one_time_codes' | 'console_sessions' | 'device_tokens' | 'audit_events' | 'outbox', number>;

/**
 * Rows per delete statement and statements per rule and pass. SQLite runs each statement on the
 * event loop (a 1000-row batch of a 10M-row audit log took 40–140 ms there, bench `history`), so it
 * deletes fewer rows at a time and more times; PostgreSQL runs them elsewhere.
 */
export const cleanupBatchSize = { sqlite: 100, postgres: 1000 } as const;
export const cleanupMaxBatches = { sqlite: 1000, postgres: 100 } as const;
/** After each batch the job rests as long as the batch took (at most this), so requests get at least half the time. */
const maxRestMs = 250;

const dayMs = 86_400_000;

/**
 * A revoked session stays listed until no access token it issued can be alive: the longest
 * access-token lifetime the settings allow, plus a minute of clock skew.
 */
const revokedKeepMs = (settingDefs.access_token_ttl.max + 60) * 1000;

type Column<T extends keyof Database> = keyof Database[T] & string;
type Where<T extends keyof Database> = (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;

/**
 * Deletes the rows of `table` whose `column` is before `before` (and that `also` matches),
 * `batchSize` rows per statement and at most `maxBatches` statements, letting queued requests run
 * between statements (SQLite runs each one on the event loop). A batch is picked by a range scan
 * of `column`'s index in index order (migration 007), so it reads only the rows it deletes whatever
 * the planner knows; on PostgreSQL the batch is an array, so the delete itself is primary-key
 * lookups too (a plain IN lets the planner hash-join against a scan of the whole table).
 */
function batchedDeletes(db: Kysely<Database>, ctx: CleanupContext) {
  const size = ctx.batchSize ?? cleanupBatchSize[ctx.dialect];
  const maxBatches = ctx.maxBatches ?? cleanupMaxBatches[ctx.dialect];
  const anyDb = db as unknown as Kysely<any>;
  return async <T extends keyof Database>(table: T, key: Column<T>, column: Column<T>, before: number, also?: Where<T>): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      await setImmediate();
      let batch = anyDb.selectFrom(table as string).select(key as string).where(column as string, '<', before);
      if (also) batch = batch.where(also as Where<any>);
      batch = batch.orderBy(column as string).limit(size);
      const picked = ctx.dialect === 'postgres' ? sql<SqlBool>`${sql.ref(key)} = any(array(${batch}))` : sql<SqlBool>`${sql.ref(key)} in (${batch})`;
      const started = performance.now();
      const result = await anyDb.deleteFrom(table as string).where(picked).executeTakeFirstOrThrow();
      const n = Number(result.numDeletedRows);
      total += n;
      if (n < size) break;
      await sleep(Math.min(performance.now() - started, maxRestMs));
    }
    return total;
  };
}

async function deleteExpired(db: Kysely<Database>, now: number, ctx: CleanupContext): Promise<CleanupCounts> {
  const del = batchedDeletes(db, ctx);
  const setting = (key: 'audit_retention_days' | 'outbox_retention_days') => ctx.settings?.get(key) ?? settingDefs[key].initial();
  const cut = now - ctx.retentionSeconds * 1000;
  const idleCut = cut - ctx.sessionIdleSeconds * 1000;
  const revokedCut = Math.min(cut, now - revokedKeepMs);
  const auditCut = now - setting('audit_retention_days') * dayMs;
  const mailCut = now - setting('outbox_retention_days') * dayMs;
  // One rule per statement (not an OR), so each is a range on its own index.
  // Refresh tokens go with their session (ON DELETE CASCADE).
  const sessions =
    (await del('sessions', 'id', 'expires_at', cut)) + (await del('sessions', 'id', 'last_used_at', idleCut)) + (await del('sessions', 'id', 'revoked_at', revokedCut));
  const refresh_tokens = await del('refresh_tokens', 'token_hash', 'expires_at', cut);
  const codes = (await del('one_time_codes', 'id', 'expires_at', cut)) + (await del('one_time_codes', 'id', 'consumed_at', cut));
  // Reset decoys stand in for real reset requests, so they go by the same rule (counted with them).
  const decoys = await del('reset_decoys', 'id', 'expires_at', cut);
  const console_sessions = await del('console_sessions', 'id_hash', 'expires_at', cut);
  // An expired device token skips nothing (core/device-tokens.ts), so it goes at once.
  const device_tokens = await del('device_tokens', 'id', 'expires_at', now);
  const audit_events = await del('audit_events', 'id', 'at', auditCut);
  // Mail is timed by its last attempt: a failed row keeps next_attempt_at at its last try's due time,
  // and a sent row was due before it went (next_attempt_at <= sent_at), so both ranges are on the
  // outbox_due index (status, next_attempt_at). Pending and retrying mail is never deleted.
  const outbox =
    (await del('outbox', 'id', 'next_attempt_at', mailCut, (eb) => eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', mailCut)]))) +
    (await del('outbox', 'id', 'next_attempt_at', mailCut, (eb) => eb('status', '=', 'failed')));
  return { sessions, refresh_tokens, one_time_codes: codes + decoys, console_sessions, device_tokens, audit_events, outbox };
}

/**
 * Deletes rows that no longer matter, once `retentionSeconds` have passed (kept that long for
 * support and audit questions), audit events and finished mail after their retention settings. On PostgreSQL one instance at a time runs it (an advisory lock
 * per schema; the others skip this round), so with many instances each row is deleted once.
 * Returns undefined when another instance holds the lock.
 */
export async function deleteExpiredRows(ctx: CleanupContext): Promise<CleanupCounts | undefined> {
  const now = ctx.clock.now();
  let counts: CleanupCounts | undefined;
  if (ctx.dialect === 'sqlite') {
    counts = await deleteExpired(ctx.db, now, ctx);
  } else {
    counts = await ctx.db.connection().execute(async (conn) => {
      const lock = sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext('gatehouse.cleanup.' || current_schema())) as locked`;
      const { rows } = await lock.execute(conn);
      if (!rows[0]?.locked) return undefined;
      try {
        return await deleteExpired(conn, now, ctx);
      } finally {
        await sql`select pg_advisory_unlock(hashtext('gatehouse.cleanup.' || current_schema()))`.execute(conn);
      }
    });
  }
  if (counts === undefined) return undefined;
  for (const [table, rows] of Object.entries(counts)) if (rows > 0) emitCoreEvent({ type: 'cleanup', table, rows });
  if (Object.values(counts).some((n) => n > 0)) ctx.log.info({ deleted: counts }, 'cleanup: expired rows deleted');
  return counts;
}

/** Runs `deleteExpiredRows` every `intervalMs` (with jitter, so instances started together spread out). */
export class CleanupJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: CleanupContext,
    private readonly intervalMs = 10 * 60_000,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule(30_000 + Math.random() * 30_000);
  }

  /** Waits for a round in progress, so shutdown does not cut a delete in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
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
