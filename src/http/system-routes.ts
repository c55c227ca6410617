import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/core.js';

export function systemRoutes(app: FastifyInstance, core: Core): void {
  app.get('/.well-known/jwks.json', {
    schema: { tags: ['system'], summary: 'Public signing keys (JWKS)' },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return core.keys.jwks();
  });

  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['system'], summary: 'Readiness: the database (and Redis, when configured) answer' } }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await core.db.selectFrom('settings').select('key').limit(1).execute();
      checks.database = 'ok';
    } catch {
      checks.database = 'unavailable';
    }
    if (core.cache.kind === 'redis') checks.redis = core.cache.healthy() ? 'ok' : 'unavailable';
    const ready = Object.values(checks).every((v) => v === 'ok');
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'unavailable', checks };
  });
}
