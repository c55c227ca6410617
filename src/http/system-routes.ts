import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.js';

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
  },
} as const;

/** What the server does instead while Redis is down (docs/production.md, "When Redis is down"). */
const redisFallbacks = [
  'rate limits counted per instance',
  'revocations and settings read from the database every second',
  'user and API-token caches re-read from the database',
];

export function systemRoutes(app: FastifyInstance, core: Core): void {
  // From the start of a graceful stop, readiness says so, and load balancers move traffic away.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
  });

  app.get('/.well-known/jwks.json', {
    schema: { tags: ['system'], summary: 'Public signing keys (JWKS)' },
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
      summary: 'Readiness: the database (and Redis, when configured) answer',
      description: '200 when every backing service answers; 503 otherwise, naming what is down and which fallbacks are in use. While Redis is down the server keeps serving with those fallbacks.',
      response: { 200: readinessSchema, 503: readinessSchema },
    },
  }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    const degraded: string[] = [];
    if (stopping) checks.server = 'stopping';
    try {
      await within(2000, sql`select 1`.execute(core.db));
      checks.database = 'ok';
    } catch {
      checks.database = 'unavailable';
    }
    if (core.cache.kind === 'redis') {
      const up = core.cache.healthy();
      checks.redis = up ? 'ok' : 'unavailable';
      if (!up) degraded.push(...redisFallbacks);
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return { status: ready ? 'ready' : 'unavailable', checks, ...(degraded.length ? { degraded } : {}) };
  });
}
