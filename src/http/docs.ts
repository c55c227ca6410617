import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Core } from '../core/core.js';

/** OpenAPI from the route schemas: spec at /openapi.json, Swagger UI at /docs (assets served locally). */
export async function registerDocs(app: FastifyInstance, core: Core): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${core.config.productName} API`,
        version: '1',
        description: 'Accounts, passwords, tokens and sessions. Errors are RFC 9457 problem details; the `code` names the error.',
      },
      servers: [{ url: core.config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          token: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Token <key>`' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
