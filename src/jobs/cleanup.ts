import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { emitCoreEvent } from '../core/observers.js';
import { settingDefs } from '../core/settings.js';
import type { DialectName } from '../store/db.js';
import type { Database } from '../store/schema.js';

export interface CleanupContext {
  db: Kysely<Database>;
  dialect: DialectName;
  clock: Clock;
  log: Logger;
  retentionSeconds: number;
  sessionIdleSeconds: number;
}

export type CleanupCounts = Record<'sessions' | 'refresh_tokens' | 'one_time_codes' | 'console_sessions', number>;

const batchSize = 1000;

/**
 * A revoked session stays listed until no access token it issued can be alive: the longest
 * access-token lifetime the settings allow, plus a minute of clock skew.
 */
const revokedKeepMs = (settingDefs.access_token_ttl.max + 60) * 1000;

/** Deletes in batches, so no statement holds locks for long on a big table. */
async function deleteInBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run();
    total += n;
    if (n < batchSize) return total;
  }
}

async function deleteExpired(db: Kysely<Database>, now: number, ctx: CleanupContext): Promise<CleanupCounts> {
  const cut = now - ctx.retentionSeconds * 1000;
  const idleCut = cut - ctx.sessionIdleSeconds * 1000;
  const revokedCut = Math.min(cut, now - revokedKeepMs);
  const sessions = await deleteInBatches(async () => {
    const ids = db
      .selectFrom('sessions')
      .select('id')
      .where((eb) => eb.or([eb('expires_at', '<', cut), eb('last_used_at', '<', idleCut), eb('revoked_at', '<', revokedCut)]))
      .limit(batchSize);
    // Refresh tokens go with their session (ON DELETE CASCADE).
    const r = await db.deleteFrom('sessions').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  const refresh_tokens = await deleteInBatches(async () => {
    const ids = db.selectFrom('refresh_tokens').select('token_hash').where('expires_at', '<', cut).limit(batchSize);
    const r = await db.deleteFrom('refresh_tokens').where('token_hash', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  const one_time_codes = await deleteInBatches(async () => {
    const ids = db
      .selectFrom('one_time_codes')
      .select('id')
      .where((eb) => eb.or([eb('expires_at', '<', cut), eb('consumed_at', '<', cut)]))
      .limit(batchSize);
    const r = await db.deleteFrom('one_time_codes').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  // Reset decoys stand in for real reset requests, so they go by the same rule (counted with them).
  const decoys = await deleteInBatches(async () => {
    const ids = db.selectFrom('reset_decoys').select('id').where('expires_at', '<', cut).limit(batchSize);
    const r = await db.deleteFrom('reset_decoys').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  const console_sessions = await deleteInBatches(async () => {
    const ids = db.selectFrom('console_sessions').select('id_hash').where('expires_at', '<', cut).limit(batchSize);
    const r = await db.deleteFrom('console_sessions').where('id_hash', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
  return { sessions, refresh_tokens, one_time_codes: one_time_codes + decoys, console_sessions };
}

/**
 * Deletes rows that no longer matter, once `retentionSeconds` have passed (kept that long for
 * support and audit questions). On PostgreSQL one instance at a time runs it (an advisory lock
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
