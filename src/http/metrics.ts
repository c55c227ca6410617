import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Core } from '../core/core.js';
import { observeCore, type CoreEvent } from '../core/observers.js';
import { outboxStats, outboxStatuses, type OutboxStats } from '../store/outbox-repo.js';
import type { Store } from '../store/db.js';

/** Where /metrics text comes from: this process's registry, or (cluster worker) every worker's, merged by the primary. */
export type MetricsSource = () => Promise<{ contentType: string; body: string }>;

const loginKinds: Record<string, { surface: string; outcome: string }> = {
  'login.succeeded': { surface: 'api', outcome: 'success' },
  'login.failed': { surface: 'api', outcome: 'failure' },
  'console.signed_in': { surface: 'console', outcome: 'success' },
  'console.sign_in_failed': { surface: 'console', outcome: 'failure' },
};

/** Scrapes must not hang on a database that does not answer. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

let processRegistry: Registry | undefined;

/** Node's own metrics (event-loop delay, heap, GC, CPU), once per process however many servers it hosts (tests). */
export function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/**
 * The Prometheus metrics of one server: HTTP latency per route, logins by outcome and reason,
 * token issuance, rate-limit hits, outbox depth, pool usage, Redis state, and Node's own
 * (event-loop delay, heap, GC). Gauges read from shared state (outbox, revocations) aggregate
 * by max across cluster workers, so N workers do not report N times the queue.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly stopObserving: () => void;

  constructor(core: Core, store: Pick<Store, 'db' | 'poolStats'>) {
    const registry = this.registry;
    this.requestDuration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'HTTP request latency by route (the route pattern, or "unmatched")',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const logins = new Counter({
      name: 'gatehouse_logins_total',
      help: 'Login attempts that reached a password check, by outcome and failure reason',
      labelNames: ['surface', 'outcome', 'reason'],
      registers: [registry],
    });
    const locks = new Counter({ name: 'gatehouse_account_locks_total', help: 'Accounts locked after repeated failed logins', registers: [registry] });
    const reuse = new Counter({ name: 'gatehouse_refresh_reuse_total', help: 'Rotated refresh tokens presented again (session ended)', registers: [registry] });
    const tokens = new Counter({ name: 'gatehouse_tokens_issued_total', help: 'Tokens issued, by kind', labelNames: ['kind'], registers: [registry] });
    const limited = new Counter({ name: 'gatehouse_rate_limited_total', help: 'Requests refused by a rate limit, by bucket', labelNames: ['bucket'], registers: [registry] });
    const fallback = new Counter({
      name: 'gatehouse_rate_limit_fallback_total',
      help: 'Rate-limit checks counted per instance because the shared cache was unavailable',
      labelNames: ['bucket'],
      registers: [registry],
    });
    const cleaned = new Counter({ name: 'gatehouse_cleanup_deleted_rows_total', help: 'Expired rows deleted by the cleanup job', labelNames: ['table'], registers: [registry] });

    // One read serves both outbox gauges of a scrape (their collects start together).
    let outbox: Promise<OutboxStats> | undefined;
    const readOutbox = () => (outbox ??= within(1000, outboxStats(store.db, core.clock.now())).finally(() => {
      outbox = undefined;
    }));
    new Gauge({
      name: 'gatehouse_outbox_mails',
      help: 'Mails in the outbox by status, counted up to 10,000 (pending and retry are the queue depth; failed gave up)',
      labelNames: ['status'],
      aggregator: 'max',
      registers: [registry],
      async collect() {
        try {
          const stats = await readOutbox();
          for (const status of outboxStatuses) this.set({ status }, stats.counts[status]);
        } catch {
          // Database down: the series is left out rather than reported as zero.
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'gatehouse_outbox_oldest_due_seconds',
      help: 'How long the longest-waiting due mail (pending or retry) has waited since it became due; 0 when none is',
      aggregator: 'max',
      registers: [registry],
      async collect() {
        try {
          const stats = await readOutbox();
          this.set(stats.oldest_due_at === null ? 0 : Math.max(0, core.clock.now() - stats.oldest_due_at) / 1000);
        } catch {
          this.reset();
        }
      },
    });
    if (store.poolStats) {
      const stats = store.poolStats.bind(store);
      new Gauge({
        name: 'gatehouse_db_pool_connections',
        help: 'PostgreSQL pool: max, open (total), idle, and requests waiting for a connection',
        labelNames: ['state'],
        registers: [registry],
        collect() {
          const s = stats();
          this.set({ state: 'max' }, s.max);
          this.set({ state: 'total' }, s.total);
          this.set({ state: 'idle' }, s.idle);
          this.set({ state: 'waiting' }, s.waiting);
        },
      });
    }
    if (core.cache.kind === 'redis') {
      new Gauge({
        name: 'gatehouse_redis_up',
        help: '1 while Redis answers and every channel is subscribed, else 0 (fallbacks in use)',
        aggregator: 'min',
        registers: [registry],
        collect() {
          this.set(core.cache.healthy() ? 1 : 0);
        },
      });
    }
    new Gauge({
      name: 'gatehouse_revoked_sessions',
      help: 'Revoked sessions held in memory for the per-request check',
      aggregator: 'max',
      registers: [registry],
      collect() {
        this.set(core.revocations.size);
      },
    });

    this.stopObserving = observeCore((event: CoreEvent) => {
      switch (event.type) {
        case 'audit': {
          const login = loginKinds[event.kind];
          if (login) logins.inc({ ...login, reason: login.outcome === 'success' ? 'ok' : (event.reason ?? 'unknown') });
          else if (event.kind === 'account.locked') locks.inc();
          else if (event.kind === 'refresh.reuse_detected') reuse.inc();
          return;
        }
        case 'token_issued':
          return tokens.inc({ kind: event.kind });
        case 'rate_limited':
          return limited.inc({ bucket: event.bucket });
        case 'rate_limit_fallback':
          return fallback.inc({ bucket: event.bucket });
        case 'cleanup':
          return cleaned.inc({ table: event.table }, event.rows);
      }
    });
  }

  /** Times every request of `app` (add before routes are served). */
  instrument(app: FastifyInstance): void {
    // Callback style: it runs on every request, and an async hook costs a promise and a microtask turn each time.
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  }

  /** This process's metrics in the Prometheus text format. */
  readonly local: MetricsSource = async () => {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  };

  close(): void {
    this.stopObserving();
    this.registry.clear();
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** GATEHOUSE_METRICS_TOKEN, when set, as `Authorization: Bearer <token>` (constant-time). */
export function metricsAuthorized(token: string | undefined, header: string | undefined): boolean {
  if (token === undefined) return true;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}

/** Mounts GET /metrics (hidden from the API docs). */
export function metricsRoute(app: FastifyInstance, source: MetricsSource, token: string | undefined): void {
  app.get('/metrics', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    if (!metricsAuthorized(token, request.headers.authorization)) {
      reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8');
      return 'metrics token required\n';
    }
    const { contentType, body } = await source();
    reply.header('cache-control', 'no-store').type(contentType);
    return body;
  });
}

/** GATEHOUSE_METRICS_PORT: a bare HTTP server answering GET /metrics only (kept off the public port). */
export async function listenMetrics(host: string, port: number, source: MetricsSource, token: string | undefined): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (!metricsAuthorized(token, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' }).end('metrics token required\n');
      return;
    }
    source().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
