import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.js';
import { AuthError, fieldError } from '../../core/errors.js';
import { drfRouteConfig, type DrfErrorOptions } from './drf-errors.js';
import { urlsOf, type CompatMethod, type CompatProfile } from './profile.js';

const methods: CompatMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const errorResponse = {
  description: 'DRF error: {"detail": …}, {"<field>": ["…"]} or {"non_field_errors": ["…"]}',
  type: 'object',
  additionalProperties: true,
} as const;

const securityDocs = { token: [{ token: [] }], bearer: [{ bearer: [] }] } as const;

/**
 * DRF reads an absent body as an empty one (every field is then "required", not the body), and
 * its CharFields refuse NUL characters (ProhibitNullCharactersValidator).
 */
async function drfBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
  if (typeof request.body !== 'object' || Array.isArray(request.body)) return;
  const errors: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(request.body as Record<string, unknown>)) {
    if (typeof value === 'string' && value.includes('\u0000')) errors[field] = ['Null characters are not allowed.'];
  }
  if (Object.keys(errors).length) throw fieldError(errors);
}

/**
 * Registers the profiles' routes (each under its profile's tag in the docs) and, like a DRF
 * view, answers the other methods of each path with 405 and an Allow header.
 */
export function mountCompatProfiles(app: FastifyInstance, core: Core, profiles: readonly CompatProfile[]): void {
  const paths = new Map<string, { methods: Set<CompatMethod>; errors: DrfErrorOptions }>();
  for (const profile of profiles) {
    const tags = [`compat: ${profile.name}`];
    for (const route of profile.routes) {
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      for (const url of urlsOf(route.path)) {
        app.route({
          method: route.method,
          url,
          schema: {
            tags,
            summary: route.summary,
            ...(route.description ? { description: route.description } : {}),
            // The slash-less twin works the same; the docs list the seed's spelling once.
            ...(url !== route.path ? { hide: true } : {}),
            ...(route.body ? { body: route.body } : {}),
            ...(hasBody ? { consumes: ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] } : {}),
            ...(route.security ? { security: securityDocs[route.security] } : {}),
            response: { ...(route.response ?? {}), '4xx': errorResponse },
          },
          config: drfRouteConfig(route.errors),
          ...(route.uploads ? { bodyLimit: core.config.avatarMaxBytes + 64 * 1024 } : {}),
          preValidation: drfBody,
          ...(route.authenticate ? { preHandler: route.authenticate(core) } : {}),
          handler: (request, reply) => route.handler(core, request, reply),
        });
      }
      const entry = paths.get(route.path) ?? { methods: new Set<CompatMethod>(), errors: route.errors };
      entry.methods.add(route.method);
      paths.set(route.path, entry);
    }
  }
  for (const [path, { methods: served, errors }] of paths) {
    const others = methods.filter((m) => !served.has(m));
    // Fastify answers HEAD for every GET route itself.
    const refused = served.has('GET') ? others : [...others, 'HEAD' as const];
    const allow = [...served].join(', ');
    for (const url of urlsOf(path)) {
      app.route({
        method: refused,
        url,
        schema: { hide: true },
        config: drfRouteConfig(errors),
        handler: async () => {
          throw new AuthError('method_not_allowed', undefined, undefined, { allow });
        },
      });
    }
  }
}
