import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createCache } from './cache/index.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Cache } from './core/context.js';
import { createCore, type Core } from './core/core.js';
import { resolveSecretKey } from './core/secret-key.js';
import { createLogger } from './logger.js';
import { createMailer, createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './mail/index.js';
import { openStore, type Store } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { buildHttpServer } from './http/server.js';
import { httpRouteModules } from './http/routes.js';
import { metricsRoute, ServerMetrics, type MetricsSource } from './http/metrics.js';
import { CacheResync } from './core/cache-resync.js';
import { CleanupJob } from './jobs/cleanup.js';
import { WebhookWorker, type WebhookWorkerOptions } from './jobs/webhook-worker.js';
import { observeCore } from './core/observers.js';
import { webhookAuditKinds } from './core/webhooks/events.js';

export interface AppOptions {
  clock?: Clock;
  /** An already-open store (tests); otherwise one is opened from DATABASE_URL. */
  store?: Store;
  cache?: Cache;
  log?: Logger;
  /** Run migrations first (default: true for SQLite, false for PostgreSQL, where `gatehouse migrate` runs them). */
  migrate?: boolean;
  /** Start the outbox worker (default true). */
  mailWorker?: boolean;
  mailWorkerOptions?: Partial<OutboxWorkerOptions>;
  /** Deliver webhooks (default: only with the system clock, i.e. not in tests, which start it themselves). */
  webhookWorker?: boolean;
  webhookWorkerOptions?: Partial<WebhookWorkerOptions>;
  /** Run the expired-row cleanup every ~10 minutes (default: only with the system clock, i.e. not in tests). */
  cleanup?: boolean;
  /** SQLite: WAL checkpoints on a thread of their own, not in a request's COMMIT (default: only with the system clock, i.e. not in tests). */
  backgroundCheckpoints?: boolean;
  /** Where GET /metrics on the main port reads from (cluster workers ask the primary for every worker's). */
  metricsSource?: MetricsSource;
}

export interface Gatehouse {
  config: Config;
  core: Core;
  http: FastifyInstance;
  store: Store;
  mailWorker: OutboxWorker | undefined;
  webhookWorker: WebhookWorker | undefined;
  metrics: ServerMetrics;
  /** Keeps revocations, settings and caches right when pub/sub messages are lost (Redis only). */
  resync: CacheResync;
  secretKey: { generated: boolean; file?: string };
  close(): Promise<void>;
}

/** Wiring only: store, cache, mail, core and HTTP from a Config. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<Gatehouse> {
  const log = options.log ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const store = options.store ?? openStore(config.databaseUrl, { schema: config.databaseSchema, poolSize: config.databasePoolSize });
  if (options.migrate ?? store.dialect === 'sqlite') await migrateToLatest(store);
  if (options.backgroundCheckpoints ?? options.clock === undefined) {
    store.checkpointInBackground?.((err) => log.warn({ err }, 'the WAL checkpoint thread stopped: commits checkpoint for themselves again'));
  }
  const secret = resolveSecretKey(config);
  const cache = options.cache ?? createCache(config, clock, log);
  const mailWorker = options.mailWorker === false ? undefined : createOutboxWorker(config, store, log.child({ component: 'mail' }), { clock, ...options.mailWorkerOptions });
  const mailer = createMailer(config, { clock, onEnqueue: () => mailWorker?.notify() });
  const core = await createCore({ config, db: store.db, cache, clock, mailer, log }, secret.key);
  const metrics = new ServerMetrics(core, store);
  const webhookWorker = (options.webhookWorker ?? options.clock === undefined)
    ? new WebhookWorker({ db: store.db, secretKey: secret.key, allowPrivate: config.webhookAllowPrivate, clock, log: log.child({ component: 'webhooks' }), ...options.webhookWorkerOptions })
    : undefined;
  // An audited account change may have queued an event: deliver soon rather than at the next poll.
  const unobserve = webhookWorker ? observeCore((e) => e.type === 'audit' && webhookAuditKinds.has(e.kind) && webhookWorker.notify()) : undefined;
  const instrumented = (app: FastifyInstance) => {
    metrics.instrument(app);
    // With GATEHOUSE_METRICS_PORT, `serve` exposes them there instead.
    if (config.metricsPort === undefined) metricsRoute(app, options.metricsSource ?? metrics.local, config.metricsToken);
  };
  const http = await buildHttpServer(core, { routes: [instrumented, ...httpRouteModules(config)] });
  const resync = new CacheResync(core);
  const cleanup = (options.cleanup ?? options.clock === undefined)
    ? new CleanupJob({ db: store.db, clock, log: log.child({ component: 'cleanup' }), retentionSeconds: config.cleanupRetentionSeconds, sessionIdleSeconds: config.sessionIdleSeconds, settings: core.settings, sqliteFile: store.sqliteFile })
    : undefined;
  mailWorker?.start();
  webhookWorker?.start();
  resync.start();
  cleanup?.start();
  let closed = false;
  return {
    config,
    core,
    http,
    store,
    mailWorker,
    webhookWorker,
    metrics,
    resync,
    secretKey: { generated: secret.generated, file: secret.file },
    async close() {
      if (closed) return;
      closed = true;
      // In-flight requests finish first; then the background work that may still use the pools.
      await http.close();
      resync.stop();
      await cleanup?.stop();
      await mailWorker?.stop();
      unobserve?.();
      await webhookWorker?.stop();
      metrics.close();
      if (!options.cache) await cache.close();
      if (!options.store) await store.close();
    },
  };
}
