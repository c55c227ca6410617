import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.js';
import { signingSecrets } from '../core/webhooks/endpoints.js';
import { webhookHeaders } from '../core/webhooks/signature.js';
import { defaultBackoff, retryDelayMs, type BackoffPolicy } from '../mail/backoff.js';
import { describeError } from '../mail/worker.js';
import type { RootDb } from '../store/dialect/index.js';
import { claimDueDeliveries, markDelivered, markDeliveryFailed, releaseDeliveryClaims, type ClaimedDelivery } from '../store/webhook-claims-repo.js';
import { postWebhook } from './webhook-send.js';

export interface WebhookWorkerOptions {
  db: RootDb;
  /** Unseals the endpoints' signing secrets (GATEHOUSE_SECRET_KEY). */
  secretKey: string;
  allowPrivate: boolean;
  clock?: Clock;
  log?: Logger;
  id?: string;
  pollMs?: number;
  notifyDelayMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** Per attempt, connection to last byte. */
  timeoutMs?: number;
  /** Must outlast an attempt by far. */
  leaseMs?: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
}

export interface WebhookDrainResult {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Delivers queued webhook events like the mail outbox worker: claim due rows under a lease
 * (per-user order kept by the claim), POST them signed, record the outcome. A 2xx is delivered;
 * anything else (or no answer within the timeout) is retried with exponential backoff and
 * jitter, and dead-lettered after `maxAttempts`. At-least-once: a crash between the receiver's
 * 2xx and the recorded delivery sends the event again with the same `webhook-id`.
 */
export class WebhookWorker {
  readonly id: string;
  private readonly o: Required<Omit<WebhookWorkerOptions, 'backoff' | 'clock' | 'log' | 'id'>>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly backoff: BackoffPolicy;
  private started = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  private looping = false;
  private again = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: WebhookWorkerOptions) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ level: 'silent' });
    this.backoff = { ...defaultBackoff, baseMs: 10_000, capMs: 6 * 3_600_000, ...options.backoff };
    this.o = {
      db: options.db,
      secretKey: options.secretKey,
      allowPrivate: options.allowPrivate,
      pollMs: options.pollMs ?? 1000,
      notifyDelayMs: options.notifyDelayMs ?? 20,
      batchSize: options.batchSize ?? 20,
      concurrency: options.concurrency ?? 5,
      timeoutMs: options.timeoutMs ?? 5000,
      leaseMs: options.leaseMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 10,
    };
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.schedule(0);
  }

  /** Asks for a drain soon (after a change that queued an event). */
  notify(): void {
    if (!this.started || this.stopping) return;
    if (this.looping) this.again = true;
    else this.schedule(this.o.notifyDelayMs);
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      clearTimeout(this.timer);
      await this.chain;
      await releaseDeliveryClaims(this.o.db, this.id).catch((err: unknown) => this.log.error({ err }, 'webhooks: releasing claims failed'));
    })();
    return this.stopped;
  }

  /** Claims and delivers batches until nothing is due (tests call this directly). */
  drainOnce(): Promise<WebhookDrainResult> {
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    const dueAt = Date.now() + delayMs;
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.looping = true;
    try {
      await this.drainOnce();
    } catch (err) {
      this.log.error({ err }, 'webhooks: drain failed');
    } finally {
      this.looping = false;
    }
    if (this.started && !this.stopping) {
      const again = this.again;
      this.again = false;
      this.schedule(again ? this.o.notifyDelayMs : this.o.pollMs);
    }
  }

  private async drain(): Promise<WebhookDrainResult> {
    const result: WebhookDrainResult = { delivered: 0, retried: 0, failed: 0 };
    while (!this.stopping) {
      const rows = await claimDueDeliveries(this.o.db, { workerId: this.id, now: this.clock.now(), leaseMs: this.o.leaseMs, limit: this.o.batchSize });
      if (rows.length === 0) break;
      const waiting = [...rows];
      const lane = async (): Promise<void> => {
        while (waiting.length > 0 && !this.stopping) await this.deliver(waiting.shift()!, result);
      };
      await Promise.all(Array.from({ length: Math.min(this.o.concurrency, rows.length) }, lane));
      if (waiting.length > 0) await releaseDeliveryClaims(this.o.db, this.id, waiting.map((r) => r.id)).catch((err: unknown) => this.log.error({ err }, 'webhooks: releasing claims failed'));
    }
    return result;
  }

  private async deliver(row: ClaimedDelivery, result: WebhookDrainResult): Promise<void> {
    let status: number | null = null;
    let excerpt: string | null = null;
    try {
      const now = this.clock.now();
      const headers = webhookHeaders(signingSecrets(this.o.secretKey, row.endpoint, now), row.event_id, Math.floor(now / 1000), row.payload);
      const answer = await postWebhook(row.endpoint.url, headers, row.payload, { timeoutMs: this.o.timeoutMs, allowPrivate: this.o.allowPrivate });
      status = answer.status;
      excerpt = answer.excerpt || null;
      if (status < 200 || status > 299) throw new Error(`the endpoint answered ${status}`);
    } catch (err) {
      await this.recordFailure(row, err, { responseStatus: status, responseExcerpt: excerpt }, result);
      return;
    }
    result.delivered++;
    try {
      await markDelivered(this.o.db, row.id, this.clock.now(), { responseStatus: status, responseExcerpt: excerpt });
    } catch (err) {
      this.log.error({ err, deliveryId: row.id }, 'webhooks: delivered but not recorded; it will be sent again');
    }
  }

  private async recordFailure(row: ClaimedDelivery, err: unknown, outcome: { responseStatus: number | null; responseExcerpt: string | null }, result: WebhookDrainResult): Promise<void> {
    const attempts = row.attempts + 1;
    const giveUp = attempts >= this.o.maxAttempts;
    const nextAttemptAt = giveUp ? undefined : this.clock.now() + retryDelayMs(attempts, this.backoff);
    const error = describeError(err);
    if (giveUp) result.failed++;
    else result.retried++;
    const facts = { deliveryId: row.id, endpointId: row.endpoint_id, event: row.event_type, attempts, error, nextAttemptAt };
    if (giveUp) this.log.error(facts, 'webhooks: delivery dead-lettered');
    else this.log.warn(facts, 'webhooks: delivery failed; will retry');
    try {
      await markDeliveryFailed(this.o.db, row.id, this.id, { attempts, error, nextAttemptAt, ...outcome });
    } catch (dbErr) {
      this.log.error({ err: dbErr, deliveryId: row.id }, 'webhooks: recording a failed delivery failed');
    }
  }
}
