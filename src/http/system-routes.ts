import type { FastifyInstance } from 'fastify';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Core } from '../core/core.js';
import { pingDatabase, pruneHeartbeats, recordHeartbeat } from '../store/heartbeat-repo.js';
import { writeRefusal } from './errors.js';

/** A readiness probe must answer even when the database hangs. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const readinessSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    checks: { type: 'object', additionalProperties: { type: 'string' } },
    degraded: { type: 'array', items: { type: 'string' } },
    failed: { type: 'array', items: { type: 'string', enum: ['server', 'database read', 'database write', 'cache'] } },
  },
} as const;

/** What the server does instead while Redis is down (docs/production.md, "When Redis is down"). */
const redisFallbacks = [
  'rate limits counted per instance',
  'revocations and settings read from the database every second',
  'user and API-token caches re-read from the database',
];

/** Names this process in the heartbeat table: host, pid and a nonce (pids repeat across restarts). */
const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
const hour = 3_600_000;

export function systemRoutes(app: FastifyInstance, core: Core): void {
  // From the start of a graceful stop, readiness says so, and load balancers move traffic away.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });
  // One log line when a dependency's state changes, not one per probe (load balancers poll every few seconds).
  const lastState: Record<string, string> = {};
  const logChange = (dependency: string, state: string, err?: unknown) => {
    const previous = lastState[dependency];
    lastState[dependency] = state;
    if (previous === state || (previous === undefined && state === 'ok')) return;
    if (state === 'ok') core.log.info({ dependency }, `readiness: ${dependency} ok again`);
    else core.log.error({ dependency, state, err: err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : undefined }, `readiness: ${dependency} failed (${state})`);
  };
  let prunedAt = 0;

  app.get('/.well-known/jwks.json', {
    schema: {
      tags: ['system'],
      summary: 'Public signing keys (JWKS)',
      response: {
        200: {
          type: 'object',
          required: ['keys'],
          properties: {
            // Each key's members depend on its type (RFC 7517/7518): the ones every key has are named, the rest pass through.
            keys: { type: 'array', items: { type: 'object', required: ['kty', 'kid'], properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string' } }, additionalProperties: true } },
          },
        },
      },
    },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return core.keys.jwks();
  });

  app.get('/healthz', {
    schema: { tags: ['system'], summary: 'Liveness: the process answers (checks nothing else)', response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } },
  }, async () => ({ status: 'ok' }));

  app.get('/readyz', {
    schema: {
      tags: ['system'],
      summary: 'Readiness: the database takes reads and writes (and Redis, when configured, answers)',
      description: '200 when every backing service answers and the database accepts a write (a heartbeat row); 503 otherwise, with `failed` naming what failed (`database read`, `database write`, `cache`, `server` while stopping), `checks.database` saying why (`unavailable`, `read-only`, `disk full`, `write failed`) and `degraded` the fallbacks in use. While Redis is down the server keeps serving with those fallbacks.',
      response: { 200: readinessSchema, 503: readinessSchema },
    },
  }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    const degraded: string[] = [];
    const failed: string[] = [];
    if (stopping) {
      checks.server = 'stopping';
      failed.push('server');
    }
    try {
      await within(2000, pingDatabase(core.db));
      logChange('database read', 'ok');
      let writeError: unknown;
      try {
        const now = core.clock.now();
        await within(2000, recordHeartbeat(core.db, instanceId, now));
        if (now - prunedAt > hour) {
          prunedAt = now;
          await within(2000, pruneHeartbeats(core.db, now - 24 * hour));
        }
        checks.database = 'ok';
      } catch (err) {
        writeError = err;
        checks.database = writeRefusal(err) ?? 'write failed';
        failed.push('database write');
      }
      logChange('database write', checks.database, writeError);
    } catch (err) {
      checks.database = 'unavailable';
      failed.push('database read');
      logChange('database read', 'unavailable', err);
    }
    if (core.cache.kind === 'redis') {
      const up = core.cache.healthy();
      checks.redis = up ? 'ok' : 'unavailable';
      if (!up) {
        degraded.push(...redisFallbacks);
        failed.push('cache');
      }
    }
    const ready = failed.length === 0;
    reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return { status: ready ? 'ready' : 'unavailable', checks, ...(failed.length ? { failed } : {}), ...(degraded.length ? { degraded } : {}) };
  });
}
