import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { Core } from '../core/core.js';
import { AuthError } from '../core/errors.js';
import { installBodyHooks } from './body-hooks.js';
import { sendError } from './errors.js';
import { lazyRequestLogger } from './request-logger.js';
import { addSchemaFormats, sharedSchemas } from './schemas.js';
import { attachSchemaCompilers, lazySchemaCompilers } from './lazy-schema-compilers.js';
import { trustProxySetting } from './trust-proxy.js';
import { registerDocs } from './docs.js';
import { registerCors } from './cors.js';
import { registerSecurityHeaders } from './security-headers.js';

export interface ServerOptions {
  logger?: boolean | object;
  /** Registers route modules after the shared plugins (native API, compat, admin, …). */
  routes: ((app: FastifyInstance, core: Core) => Promise<void> | void)[];
}

/** The Fastify app with body parsing, validation, error rendering and docs; routes come from `options.routes`. */
export async function buildHttpServer(core: Core, options: ServerOptions): Promise<FastifyInstance> {
  const schemaCompilers = lazySchemaCompilers();
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : (core.log as never),
    bodyLimit: core.config.bodyLimitBytes,
    trustProxy: trustProxySetting(core.config.trustProxy),
    // An incoming X-Request-Id is kept when it looks like one (a proxy's or a client's); anything else gets a UUID.
    requestIdHeader: false,
    childLoggerFactory: lazyRequestLogger,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[A-Za-z0-9._:@/+=-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    // While closing, a request that still arrives on an open keep-alive connection is served
    // (with Connection: close) rather than refused: a graceful stop fails no request.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // Bad URLs and over-long path parameters are answered by the router itself: render them like every other error.
    frameworkErrors: (err, request, reply) => void sendError(err, request, reply), // sends at once; the reply is only thenable
    ajv: { customOptions: { coerceTypes: false, removeAdditional: true, allErrors: true, useDefaults: true }, onCreate: addSchemaFormats },
    // Fastify's default compilers with the options above, run at each route's first use, not at ready.
    schemaController: { compilersFactory: schemaCompilers.compilersFactory },
  });
  attachSchemaCompilers(app, schemaCompilers);
  for (const schema of sharedSchemas) app.addSchema(schema);
  // First, so every answer carries them: API, errors, 404s, pages (security-headers.ts).
  await registerSecurityHeaders(app, core.config);

  await app.register(formbody, { bodyLimit: core.config.bodyLimitBytes });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: core.config.avatarMaxBytes, files: 1, fields: 50, fieldSize: 64 * 1024, parts: 51, headerPairs: 100 },
  });
  installBodyHooks(app, { bodyLimit: core.config.bodyLimitBytes, fileLimit: core.config.avatarMaxBytes });
  // Bodies are JSON, form or multipart; anything else (text/plain included) is a 415.
  app.removeContentTypeParser('text/plain');
  // JSON with our own parser: clear 400s on bad input, prototype-poisoning refused.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: core.config.bodyLimitBytes }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text, (k, v) => (k === '__proto__' || k === 'constructor' ? undefined : v)));
    } catch (err) {
      // Deep nesting overflows the reviver's recursion (a RangeError): still just a body we cannot read.
      done(err instanceof SyntaxError ? err : new AuthError('malformed_request', 'JSON parse error - the body is nested too deeply.'), undefined);
    }
  });

  // Hooks that run on every request take a callback: an async hook costs a promise and a microtask turn each time.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // CORS answers preflights in onRequest, before any route's authentication (see cors.ts).
  await registerCors(app, core);
  // Once closing, every response ends its connection, or a request in flight at SIGTERM would
  // leave a keep-alive socket open and hold the shutdown until keepAliveTimeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => sendError(Object.assign(new Error('Not found'), { statusCode: 404 }), request, reply));

  await registerDocs(app, core);
  for (const register of options.routes) await register(app, core);
  return app;
}
