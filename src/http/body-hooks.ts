import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError } from '../core/errors.js';

interface PropertySchema {
  type?: string | string[];
}

function isFormBody(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type);
}

function accepts(schema: PropertySchema | undefined, type: string): boolean {
  const t = schema?.type;
  return Array.isArray(t) ? t.includes(type) : t === type;
}

/**
 * Form and multipart bodies carry only strings: a field the route's schema types as an
 * integer or boolean is converted when the string spells one, so every body format is
 * accepted alike (JSON keeps its strict types).
 */
export function coerceFormFields(body: Record<string, unknown>, properties: Record<string, PropertySchema>): void {
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') continue;
    const schema = properties[name];
    if ((accepts(schema, 'integer') || accepts(schema, 'number')) && /^-?\d{1,15}$/.test(value.trim())) body[name] = Number(value.trim());
    else if (accepts(schema, 'boolean') && /^(true|false)$/i.test(value.trim())) body[name] = value.trim().toLowerCase() === 'true';
    else if (accepts(schema, 'null') && value === '' && !accepts(schema, 'string')) body[name] = null;
  }
}

/** Body handling every route shares: size limits for multipart, no body means an empty object, form coercion. */
export function installBodyHooks(app: FastifyInstance, limits: { bodyLimit: number; fileLimit: number }): void {
  // A multipart upload may never be larger than its route's body limit (the plugin alone caps only each file).
  app.addHook('onRoute', (route) => {
    const bodyLimit = route.bodyLimit ?? limits.bodyLimit;
    const config = (route.config ?? {}) as Record<string, unknown>;
    if (!config.multipartOptions) route.config = { ...config, multipartOptions: { limits: { fileSize: Math.min(bodyLimit, limits.fileLimit) } } } as never;
  });
  // Callback-style hooks: they run on every request, and an async hook costs a promise and a microtask turn each time.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const length = Number(request.headers['content-length']);
    const limit = request.routeOptions.bodyLimit ?? limits.bodyLimit;
    if (/^\s*multipart\//i.test(request.headers['content-type'] ?? '') && length > limit) return done(new AuthError('payload_too_large', 'Request body is too large.'));
    done(null, payload);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const schema = request.routeOptions.schema?.body as { properties?: Record<string, PropertySchema> } | undefined;
    if (!schema) return done();
    try {
      // No body at all reads as {}, so a missing field is named ("This field is required.").
      if (request.body === undefined) request.body = {};
      else if (schema.properties && isFormBody(request) && request.body && typeof request.body === 'object') coerceFormFields(request.body as Record<string, unknown>, schema.properties);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
}
