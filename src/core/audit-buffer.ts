import { recordAudits, type AuditEvent } from './audit.js';
import type { Core } from './core.js';

export interface AuditBufferOptions {
  /** The longest a row waits to be written; default 100 ms. */
  flushMs?: number;
  /** Rows per INSERT, and a write starts as soon as this many wait; default 200. */
  maxBatch?: number;
  /** Rows held at most while writes lag (the database is slow or down); past it new rows are dropped and counted; default 10,000. */
  maxBuffered?: number;
}

/**
 * Audit rows of requests that write nothing else of their own in a transaction (the OpenID
 * provider's grants, oidc/events.ts), written in batches: one multi-row INSERT every `flushMs` or
 * every `maxBatch` rows, instead of one write per request (issue 15's token-endpoint bench).
 * `close()` writes whatever waits, so a graceful stop loses nothing; a crash loses at most the
 * last `flushMs`. A failed write is logged, never a request's failure (as when each row was
 * written on its own, after the provider had answered). Not for rows that belong to a use case's
 * transaction: those go through recordAudit inside it.
 */
export class AuditBuffer {
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private rows: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly core: Pick<Core, 'db' | 'log'>,
    options: AuditBufferOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 100;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.rows.length;
  }

  record(e: AuditEvent): void {
    if (this.rows.length >= this.maxBuffered) {
      this.dropped++;
      return;
    }
    this.rows.push(e);
    if (this.closed || this.rows.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushMs);
      // A stopping process is not held up by it: close() writes what waits.
      this.timer.unref();
    }
  }

  /** Writes every row recorded before the call (one write runs at a time; callers share it). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.rows.length > 0 || this.writing) {
      this.writing ??= this.writeAll().finally(() => {
        this.writing = undefined;
      });
      await this.writing;
    }
  }

  /** Writes what waits; rows recorded later are written at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.rows.length > 0) {
      const batch = this.rows.splice(0, this.maxBatch);
      try {
        await recordAudits(this.core.db, batch);
      } catch (err) {
        this.core.log.warn({ err, rows: batch.length, kinds: [...new Set(batch.map((e) => e.kind))] }, 'audit rows not written');
      }
    }
    if (this.dropped > 0) {
      this.core.log.warn({ rows: this.dropped }, 'audit rows dropped: writes lagged and the buffer was full');
      this.dropped = 0;
    }
  }
}
