import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSchemaCompilers, compileRouteSchemas, lazySchemaCompilers, routeSchemaCounts } from '../../src/http/lazy-schema-compilers.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';

/*
 * Route schemas are compiled at each route's first use (src/http/lazy-schema-compilers.ts), so a
 * start no longer proves that every schema compiles: this suite does, and pins the laziness.
 */

describe.each(backends)('route schemas (%s)', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.http.ready();
  });
  afterAll(() => app.close());

  it('compiles none at ready, then only the parts of the routes a request reaches, each once', async () => {
    const atReady = routeSchemaCounts(app.http);
    expect(atReady.registered).toBeGreaterThan(200);
    expect(atReady.compiled).toBe(0);

    const bad = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 7, password: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toHaveProperty('login');
    const afterOne = routeSchemaCounts(app.http).compiled;
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(10);

    const again = await app.request({ method: 'POST', url: '/v1/auth/login', payload: { login: 7, password: 'x' } });
    expect(again.json()).toEqual(bad.json());
    expect(routeSchemaCounts(app.http).compiled).toBe(afterOne);
  });

  it('compiles every route schema of the whole app without an error', () => {
    const { registered, compiled } = compileRouteSchemas(app.http);
    expect(compiled).toBe(registered);
  });
});

describe('lazy schema compilers on a bare Fastify', () => {
  const build = () => {
    const compilers = lazySchemaCompilers();
    const fastify = Fastify({ schemaController: { compilersFactory: compilers.compilersFactory } });
    attachSchemaCompilers(fastify, compilers);
    return fastify;
  };

  it('a schema that cannot compile fails on its first use with the route named, and in compileRouteSchemas', async () => {
    const fastify = build();
    fastify.post('/broken', { schema: { body: { type: 'nonsense' } } }, async () => ({}));
    await fastify.ready();
    const res = await fastify.inject({ method: 'POST', url: '/broken', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(() => compileRouteSchemas(fastify)).toThrow(/^Failed building the validation schema for POST: \/broken/);
    await fastify.close();
  });

  it('refuses a headers schema with a name Node never delivers (not lowercase) when the route is registered', async () => {
    const fastify = build();
    fastify.get('/h', { schema: { headers: { type: 'object', properties: { 'Last-Event-ID': { type: 'string' } } } } }, async () => ({}));
    await expect(fastify.ready()).rejects.toThrow(/header "Last-Event-ID" in the headers schema must be written in lowercase/);
  });

  it('validates and serializes as the default compilers do: defaults applied, extra fields removed and not serialized', async () => {
    const fastify = build();
    const schema = {
      body: { type: 'object', properties: { a: { type: 'string', default: 'x' } }, additionalProperties: false },
      response: { 200: { type: 'object', properties: { a: { type: 'string' } } } },
    };
    fastify.post('/echo', { schema }, async (request) => ({ ...(request.body as object), secret: 's' }));
    const plain = Fastify();
    plain.post('/echo', { schema }, async (request) => ({ ...(request.body as object), secret: 's' }));
    for (const payload of [{}, { a: 'y', b: 1 }, { a: 5 }, [], 'text']) {
      const [lazy, eager] = await Promise.all([fastify, plain].map((f) => f.inject({ method: 'POST', url: '/echo', payload: payload as never })));
      expect({ status: lazy!.statusCode, body: lazy!.body }).toEqual({ status: eager!.statusCode, body: eager!.body });
    }
    await Promise.all([fastify.close(), plain.close()]);
  });
});
