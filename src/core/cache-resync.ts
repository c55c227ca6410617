import type { Core } from './core.js';

/** A cache that can tell when it comes back after an outage (RedisCache). */
interface Reconnecting {
  onReconnect(handler: () => void | Promise<void>): () => void;
}

/** Whether `cache` tells when it is back after an outage (only RedisCache does). */
export function reconnecting(cache: unknown): cache is Reconnecting {
  return typeof (cache as Partial<Reconnecting>).onReconnect === 'function';
}

/** What resyncing touches: the cache's health, and every in-memory copy of database state. */
export type CacheResyncCtx = Pick<Core, 'cache' | 'clock' | 'log' | 'revocations' | 'settings' | 'users' | 'apiTokens'>;

export interface CacheResyncOptions {
  /** How often the database is read for revocations (and, while Redis is down, settings); default 500 ms, so a lost message is made up within a second. */
  pollMs?: number;
  /** Each poll re-reads revocations this far before the last good poll, for clock skew and slow commits; default 5000 ms. */
  overlapMs?: number;
}

/**
 * Keeps each instance's in-memory state right when pub/sub messages are lost.
 *
 * With Redis, pub/sub carries revocations, settings changes and cache invalidations; a
 * message published while an instance was disconnected (or by an instance that could not
 * reach Redis) never arrives. So:
 * - every `pollMs`, sessions revoked since the last good poll are read from the database
 *   (an indexed range read), which bounds how late a revocation can be on any instance;
 * - while Redis is down, settings are re-read and the user and API-token caches dropped
 *   each poll as well;
 * - when Redis comes back, everything is rebuilt from the database.
 * With the memory cache (one process) nothing is ever missed and nothing runs.
 */
export class CacheResync {
  private readonly pollMs: number;
  private readonly overlapMs: number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastGoodPoll: number;
  private polling: Promise<void> | undefined;
  private degraded = false;
  private pollFailing = false;

  constructor(private readonly core: CacheResyncCtx, options: CacheResyncOptions = {}) {
    this.pollMs = options.pollMs ?? 500;
    this.overlapMs = options.overlapMs ?? 5000;
    this.lastGoodPoll = core.clock.now();
  }

  start(): void {
    const cache = this.core.cache;
    if (cache.kind !== 'redis' || this.timer) return;
    if (reconnecting(cache)) this.unsubscribe = cache.onReconnect(() => this.resyncAll());
    // A tick that finds a poll still running skips; the next tick catches up.
    this.timer = setInterval(() => {
      if (!this.polling) void this.poll();
    }, this.pollMs);
    // Background upkeep must not keep a stopping process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Everything pub/sub would have kept current, from the database. */
  async resyncAll(): Promise<void> {
    const started = this.core.clock.now();
    await this.core.revocations.rebuild();
    await this.core.settings.reload();
    this.core.users.clear();
    this.core.apiTokens.clear();
    this.lastGoodPoll = started;
    this.core.log.info('cache state rebuilt from the database after a Redis reconnect');
  }

  /** One poll, started after any poll in progress ends; public so tests need not wait for the timer. */
  async poll(): Promise<void> {
    while (this.polling) await this.polling;
    this.polling = this.pollOnce();
    try {
      await this.polling;
    } finally {
      this.polling = undefined;
    }
  }

  private async pollOnce(): Promise<void> {
    const started = this.core.clock.now();
    try {
      await this.core.revocations.rebuild(this.lastGoodPoll - this.overlapMs);
      if (!this.core.cache.healthy()) {
        if (!this.degraded) {
          this.degraded = true;
          this.core.log.warn('redis unavailable: reading revocations and settings from the database every poll; rate limits count per instance');
        }
        await this.core.settings.reload();
        this.core.users.clear();
        this.core.apiTokens.clear();
      } else if (this.degraded) {
        this.degraded = false;
      }
      this.lastGoodPoll = started;
      if (this.pollFailing) this.core.log.info('revocation poll recovered');
      this.pollFailing = false;
    } catch (err) {
      if (!this.pollFailing) this.core.log.warn({ err }, 'revocation poll failed; retrying every poll');
      this.pollFailing = true;
    }
  }
}
