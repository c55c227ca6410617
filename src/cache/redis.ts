import { createRequire } from 'node:module';
import type { Redis, RedisOptions, Result } from 'ioredis';
import type { Logger } from 'pino';
import type { Cache } from '../core/context.js';
import { ChannelHandlers, type MessageHandler } from './channel-handlers.js';
import { ttlMs } from './ttl.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatehouseHit(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

/** INCR, and start the window if the key has no expiry yet (new, or left without one); returns [count, ms left]. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port/db` or `rediss://…` for TLS. */
  url: string;
  log: Logger;
  /** Prepended to every key and channel so deployments and test runs can share one Redis (default `gh:`). */
  prefix?: string;
  /** A command without a reply by then rejects (default 1000 ms). */
  commandTimeoutMs?: number;
  /** A TCP connect that has not completed by then is abandoned and retried (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Reconnection backs off exponentially from 50 ms up to this (default 2000 ms). */
  maxReconnectDelayMs?: number;
  /** Both connections are PINGed this often, so a silently dead socket is noticed (default 5000 ms). */
  heartbeatMs?: number;
  /** Shown in CLIENT LIST as `<name>:cmd` and `<name>:sub` (default `gatehouse`). */
  connectionName?: string;
}

type ReconnectHandler = () => void | Promise<void>;

/** ioredis states in which a connection attempt is under way and may become ready shortly. */
const CONNECTING = new Set(['connecting', 'connect']);

/**
 * The cache shared by every instance: one connection for commands, one for pub/sub.
 *
 * When Redis is unreachable the server keeps serving, so nothing here waits for it:
 * - `get`, `set`, `del`, `hit` and `publish` REJECT — at once while disconnected (waiting
 *   to reconnect), within `commandTimeoutMs` when Redis stops answering, and within twice
 *   that while a connection attempt is under way (it may succeed, so it is waited for).
 *   Callers catch and fall back (allow the request, check the database, …).
 * - `subscribe` never rejects for that reason: the handler is kept and the channel is
 *   subscribed again on every reconnect.
 * - `close` never rejects.
 * Connections come back by themselves with backoff; `onReconnect` handlers then run so the
 * app can rebuild what it may have missed while messages could not reach it.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly commandTimeoutMs: number;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly handlers: ChannelHandlers;
  private readonly reconnectHandlers = new Set<ReconnectHandler>();
  private readonly waiters = new Map<Redis, Set<() => void>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** The subscriber has subscribed every channel since it last became ready. */
  private subscribed = false;
  /** Bumped on every subscriber `ready`, so a late answer from an older connection is ignored. */
  private subEpoch = 0;
  /** A connection was lost (or never made) since the cache was last healthy. */
  private down = false;
  private outageLogged = false;
  private closed = false;

  constructor(options: RedisCacheOptions) {
    this.log = options.log;
    this.prefix = options.prefix ?? 'gh:';
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    this.handlers = new ChannelHandlers(options.log);
    const maxDelay = options.maxReconnectDelayMs ?? 2000;
    const name = options.connectionName ?? 'gatehouse';
    const common: RedisOptions = {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      commandTimeout: this.commandTimeoutMs,
      // A socket that takes a command and sends nothing back is dead: drop it and reconnect.
      socketTimeout: this.commandTimeoutMs * 2,
      // Fail instead of queueing while disconnected, and never replay a command after a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // Resubscription is ours, so it also covers channels added while the subscriber was down.
      autoResubscribe: false,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), maxDelay) + Math.floor(Math.random() * 50),
    };
    // Loaded only when chosen: a start with the memory cache skips ioredis's load time.
    const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.cmd = new Client(options.url, { ...common, connectionName: `${name}:cmd` });
    this.sub = new Client(options.url, { ...common, connectionName: `${name}:sub` });
    this.cmd.defineCommand('gatehouseHit', { numberOfKeys: 1, lua: HIT_SCRIPT });

    for (const [conn, role] of [[this.cmd, 'command'], [this.sub, 'subscriber']] as const) {
      this.waiters.set(conn, new Set());
      conn.on('error', (err: Error) => this.outage(role, err));
      conn.on('close', () => {
        if (conn === this.sub) this.subscribed = false;
        this.outage(role, undefined);
        this.wake(conn);
      });
      conn.on('end', () => this.wake(conn));
      conn.on('ready', () => this.wake(conn));
    }
    this.cmd.on('ready', () => this.maybeRecovered());
    this.sub.on('ready', () => void this.resubscribe());
    this.sub.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.prefix)) this.handlers.deliver(channel.slice(this.prefix.length), message);
    });

    this.heartbeat = setInterval(() => {
      for (const conn of [this.cmd, this.sub]) {
        // An unanswered PING trips socketTimeout, which closes the socket and starts a reconnect.
        if (conn.status === 'ready') conn.ping().catch(() => undefined);
      }
    }, options.heartbeatMs ?? 5000);
    this.heartbeat.unref();
  }

  /** Throws when Redis is unreachable (see the class comment). */
  async get(key: string): Promise<string | undefined> {
    const value = await (await this.command()).get(this.prefix + key);
    return value ?? undefined;
  }

  /** A TTL of zero or less removes the key: the value would be expired already. Throws when Redis is unreachable. */
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const ms = ttlMs(ttlSeconds, 'ttlSeconds');
    const redis = await this.command();
    if (ttlSeconds <= 0) await redis.del(this.prefix + key);
    else await redis.set(this.prefix + key, value, 'PX', ms);
  }

  /** Throws when Redis is unreachable. */
  async del(key: string): Promise<void> {
    await (await this.command()).del(this.prefix + key);
  }

  /** Atomic (one Lua script). Throws when Redis is unreachable: a rate limiter decides whether to fail open. */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    if (!(windowSeconds > 0)) throw new RangeError(`windowSeconds must be positive, got ${windowSeconds}`);
    const windowMs = ttlMs(windowSeconds, 'windowSeconds');
    const [count, msLeft] = await (await this.command()).gatehouseHit(this.prefix + key, windowMs);
    return { count, resetSeconds: Math.ceil(msLeft / 1000) };
  }

  /** Throws when Redis is unreachable: the message reached no other instance. */
  async publish(channel: string, message: string): Promise<void> {
    await (await this.command()).publish(this.prefix + channel, message);
  }

  /**
   * Resolves once the channel is subscribed, or at once (without throwing) when Redis is
   * unreachable; the handler is kept either way and the channel resubscribed on reconnect.
   */
  async subscribe(channel: string, handler: MessageHandler): Promise<void> {
    this.assertOpen();
    if (!this.handlers.add(channel, handler)) return;
    await this.settled(this.sub);
    if (this.sub.status !== 'ready') return;
    try {
      await this.sub.subscribe(this.prefix + channel);
    } catch (err) {
      // The dead socket is dropped by socketTimeout; the reconnect subscribes this channel too.
      this.log.warn({ err, channel }, 'redis subscribe failed; retried on reconnect');
    }
  }

  /**
   * Runs `handler` each time the cache is healthy again after losing Redis (or after starting
   * without it), once every channel is resubscribed. Pub/sub messages sent meanwhile were lost,
   * so rebuild whatever they would have kept current. Returns a function that removes the handler.
   */
  onReconnect(handler: ReconnectHandler): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  /** Both connections answer and every channel is subscribed. */
  healthy(): boolean {
    return !this.closed && this.cmd.status === 'ready' && this.sub.status === 'ready' && this.subscribed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.handlers.clear();
    this.reconnectHandlers.clear();
    await Promise.all([this.cmd, this.sub].map((conn) => this.shutdown(conn)));
  }

  /** The command connection, once ready; waits out a connection attempt under way, up to the command timeout. */
  private async command(): Promise<Redis> {
    this.assertOpen();
    await this.settled(this.cmd);
    if (this.cmd.status !== 'ready') throw new Error(`redis unavailable (${this.cmd.status})`);
    return this.cmd;
  }

  private settled(conn: Redis): Promise<void> {
    if (!CONNECTING.has(conn.status)) return Promise.resolve();
    const waiters = this.waiters.get(conn) as Set<() => void>;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.commandTimeoutMs);
      waiters.add(done);
    });
  }

  private wake(conn: Redis): void {
    for (const done of [...(this.waiters.get(conn) ?? [])]) done();
  }

  private async resubscribe(): Promise<void> {
    const epoch = ++this.subEpoch;
    const channels = this.handlers.channels().map((channel) => this.prefix + channel);
    try {
      if (channels.length > 0) await this.sub.subscribe(...channels);
    } catch (err) {
      if (this.closed || epoch !== this.subEpoch || this.sub.status !== 'ready') return;
      this.log.warn({ err }, 'redis resubscribe failed; reconnecting');
      // Reconnecting runs this again; a half-subscribed connection would lose messages silently.
      this.sub.disconnect(true);
      return;
    }
    if (epoch !== this.subEpoch || this.sub.status !== 'ready') return;
    this.subscribed = true;
    this.maybeRecovered();
  }

  private outage(role: 'command' | 'subscriber', err: Error | undefined): void {
    if (this.closed) return;
    this.down = true;
    if (this.outageLogged) {
      this.log.debug({ err, connection: role }, 'redis still unavailable');
      return;
    }
    this.outageLogged = true;
    this.log.warn({ err, connection: role }, 'redis unavailable; cache calls fail until it reconnects');
  }

  private maybeRecovered(): void {
    if (!this.down || !this.healthy()) return;
    this.down = false;
    this.outageLogged = false;
    this.log.info('redis reconnected');
    for (const handler of [...this.reconnectHandlers]) {
      try {
        const result: unknown = handler();
        if (result instanceof Promise) result.catch((err: unknown) => this.log.error({ err }, 'redis onReconnect handler failed'));
      } catch (err) {
        this.log.error({ err }, 'redis onReconnect handler failed');
      }
    }
  }

  private async shutdown(conn: Redis): Promise<void> {
    this.wake(conn);
    if (conn.status === 'ready') {
      // QUIT lets Redis finish what it was sent; disconnect() below stops any reconnect either way.
      await conn.quit().catch(() => undefined);
    }
    conn.disconnect();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('cache is closed');
  }
}
