import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Core } from '../core/core.js';
import { problems } from './schemas.js';

/** Methods whose body Fastify parses whether or not the route reads one (GET and HEAD bodies are ignored). */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const bodyTypes = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The answers the server gives before a handler runs, documented on every route that renders
 * problem details (compat profiles and console pages bring their own): a body is parsed on
 * POST, PUT, PATCH and DELETE (400 unreadable, 413 too large, 415 an unknown type), path
 * parameters are validated (400), a route taking Bearer tokens refuses an enrolment-only token
 * outside the enrolment routes (403 mfa_enrolment_required, auth.ts), and any route answers 503
 * while the database or Redis cannot serve (errors.ts). The route's own entries win.
 */
export function documentServerAnswers(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema?.response || schema.hide || route.config?.renderError) return;
  const takesBody = [route.method].flat().some((m) => bodyMethods.has(m));
  const bearer = ((schema.security ?? []) as Record<string, unknown>[]).some((s) => 'bearer' in s);
  const statuses = [...(takesBody ? [400, 413, 415] : []), ...(route.url.includes(':') ? [400] : []), ...(bearer ? [403] : []), 503];
  route.schema = {
    ...schema,
    ...(schema.body && !schema.consumes ? { consumes: bodyTypes } : {}),
    response: { ...problems(...statuses), ...(schema.response as object) },
  };
}

/**
 * Swagger UI's own policy (its script and style hashes, everything from this server) made
 * stricter: never framed, no stylesheet, font or badge from another origin, and no
 * upgrade-insecure-requests on a plain-http deployment (it would send the assets to https).
 * Everything else under /docs keeps the helmet headers (security-headers.ts).
 */
export function docsCsp(csp: string, https: boolean): string {
  return csp
    .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
    .replace(/ (https:|validator\.swagger\.io)(?=[ ;])/g, '')
    .replace(/ ?upgrade-insecure-requests;?/, https ? ' upgrade-insecure-requests;' : '')
    .replace(/ +;/g, ';')
    .trim();
}

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
  // After swagger's own onRoute hook, before any route: swagger reads `route.schema` when the document is built.
  app.addHook('onRoute', documentServerAnswers);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: (csp) => docsCsp(csp, core.config.publicUrl.startsWith('https://')) });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
