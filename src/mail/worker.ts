import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import { isEmail } from '../core/users/normalize.js';
import type { RootDb } from '../store/dialect/index.js';
import { claimDueMail, markMailAttemptFailed, markMailSent, releaseMailClaims } from '../store/outbox-claims-repo.js';
import type { OutboxRow } from '../store/outbox-repo.js';
import { defaultBackoff, retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { MailTransport, OutgoingMail } from './transport.js';

export interface OutboxWorkerOptions {
  db: RootDb;
  /** Owned by the worker: `stop()` closes it. */
  transport: MailTransport;
  /** The From header of every mail (`config.mailFrom`). */
  from: string;
  clock?: Clock;
  log?: Logger;
  /** Names this worker's leases; unique per process by default. */
  id?: string;
  /** How often to look for due mail when nobody calls `notify()`. */
  pollMs?: number;
  /** Pause between `notify()` and the drain, so the enqueuing transaction has committed. */
  notifyDelayMs?: number;
  batchSize?: number;
  /** Sends in flight at once (the SMTP pool opens up to 5 connections). */
  concurrency?: number;
  /** How long a claim holds a row; must outlast the slowest send (SMTP socket timeout 60 s). */
  leaseMs?: number;
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Delivers the outbox: claims due rows under a lease, sends them, records the outcome.
 *
 * Delivery is at-least-once. The one window for a duplicate is between the SMTP server
 * accepting a message and the `sent` update committing (one UPDATE by primary key): a crash
 * there leaves the row leased, and it is sent again when the lease runs out. The Message-ID
 * is stable across attempts so receivers can drop such a duplicate.
 */
export class OutboxWorker {
  readonly id: string;
  private readonly db: RootDb;
  private readonly transport: MailTransport;
  private readonly from: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly notifyDelayMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly messageIdDomain: string;

  private started = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  private looping = false;
  private again = false;
  /** Drains run one after another within a worker; stop() waits on this chain. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxWorkerOptions) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.db = options.db;
    this.transport = options.transport;
    this.from = options.from;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ level: 'silent' });
    this.pollMs = options.pollMs ?? 1000;
    this.notifyDelayMs = options.notifyDelayMs ?? 20;
    this.batchSize = options.batchSize ?? 20;
    this.concurrency = options.concurrency ?? 5;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.messageIdDomain = /@([^\s<>@]+)>?\s*$/.exec(options.from)?.[1] ?? 'gatehouse.invalid';
  }

  /** Polls every `pollMs` until `stop()`. */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.schedule(0);
  }

  /** Asks for a drain soon instead of at the next poll; cheap to call after every commit. */
  notify(): void {
    if (!this.started || this.stopping) return;
    if (this.looping) this.again = true;
    else this.schedule(this.notifyDelayMs);
  }

  /**
   * Graceful: no new claims, sends in flight finish and are recorded, rows claimed but not
   * started are released for other instances, then the transport closes.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      clearTimeout(this.timer);
      await this.chain;
      await releaseMailClaims(this.db, this.id).catch((err: unknown) => this.log.error({ err }, 'outbox: releasing claims failed'));
      await this.transport.close();
    })();
    return this.stopped;
  }

  /** Claims and delivers batches until no mail is due (tests call this directly). */
  drainOnce(): Promise<DrainResult> {
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    const dueAt = Date.now() + delayMs;
    // An earlier timer already covers this request; replacing it would let a burst of notifies starve the drain.
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // The HTTP server keeps the process alive; a pending poll alone should not.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.looping = true;
    try {
      await this.drainOnce();
    } catch (err) {
      // A database outage must not kill the loop: log and try again at the next poll.
      this.log.error({ err }, 'outbox: drain failed');
    } finally {
      this.looping = false;
    }
    if (this.started && !this.stopping) {
      const again = this.again;
      this.again = false;
      this.schedule(again ? this.notifyDelayMs : this.pollMs);
    }
  }

  private async drain(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
    while (!this.stopping) {
      const rows = await claimDueMail(this.db, {
        workerId: this.id,
        now: this.clock.now(),
        leaseMs: this.leaseMs,
        limit: this.batchSize,
      });
      if (rows.length === 0) break;
      await this.deliverBatch(rows, result);
    }
    return result;
  }

  private async deliverBatch(rows: OutboxRow[], result: DrainResult): Promise<void> {
    const waiting = [...rows];
    const lane = async (): Promise<void> => {
      while (waiting.length > 0 && !this.stopping) await this.deliver(waiting.shift()!, result);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, lane));
    if (waiting.length > 0) {
      await releaseMailClaims(this.db, this.id, waiting.map((r) => r.id)).catch((err: unknown) =>
        this.log.error({ err }, 'outbox: releasing claims failed'),
      );
    }
  }

  private async deliver(row: OutboxRow, result: DrainResult): Promise<void> {
    // Only the one email rule's addresses go out: anything else could be read as another mailbox.
    if (!isEmail(row.to_addr)) return this.recordFailure(row, new Error('recipient is not a single valid address; not sent'), result, true);
    try {
      await this.transport.send(this.outgoing(row));
    } catch (err) {
      await this.recordFailure(row, err, result);
      return;
    }
    result.sent++;
    try {
      await markMailSent(this.db, row.id, this.clock.now());
      this.log.debug({ outboxId: row.id, kind: row.kind, to: row.to_addr }, 'outbox: mail sent');
    } catch (err) {
      // Sent but not recorded: the lease runs out and the mail goes again (the at-least-once window).
      this.log.error({ err, outboxId: row.id }, 'outbox: mail sent but not recorded; it will be sent again');
    }
  }

  private async recordFailure(row: OutboxRow, err: unknown, result: DrainResult, permanent = false): Promise<void> {
    const attempts = row.attempts + 1;
    const giveUp = permanent || attempts >= this.maxAttempts;
    const nextAttemptAt = giveUp ? undefined : this.clock.now() + retryDelayMs(attempts, this.backoff);
    const error = describeError(err);
    if (giveUp) result.failed++;
    else result.retried++;
    const facts = { outboxId: row.id, kind: row.kind, to: row.to_addr, attempts, error, nextAttemptAt };
    if (giveUp) this.log.error(facts, 'outbox: mail failed for good');
    else this.log.warn(facts, 'outbox: send failed; will retry');
    try {
      await markMailAttemptFailed(this.db, row.id, this.id, { attempts, error, nextAttemptAt });
    } catch (dbErr) {
      // Unrecorded failure: the row stays leased and is retried when the lease runs out.
      this.log.error({ err: dbErr, outboxId: row.id }, 'outbox: recording a failed send failed');
    }
  }

  private outgoing(row: OutboxRow): OutgoingMail {
    return {
      outboxId: row.id,
      messageId: `<outbox.${row.id}.${row.created_at}@${this.messageIdDomain}>`,
      from: this.from,
      to: row.to_addr,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
    };
  }
}

/** The error as one bounded line for `last_error`: code, SMTP reply, message. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 1000);
  const code = (err as { code?: unknown }).code;
  const text = typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  return text.replace(/\s+/g, ' ').trim().slice(0, 1000);
}
