/**
 * Route schemas compiled at each route's first use instead of at ready. Fastify compiles every
 * route's validators (Ajv) and response serializers (fast-json-stringify) while the app gets
 * ready: most of a second of a start spent on routes most processes never serve. These factories
 * wrap Fastify's own default compilers (`@fastify/ajv-compiler`, `@fastify/fast-json-stringify-compiler`,
 * loaded as Fastify loads them, with the app's `ajv` and `serializerOpts` options unchanged):
 * each route part gets a function that compiles its schema the first time it is called and
 * keeps the result. JavaScript runs one call at a time, so a schema is compiled once.
 */
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** What Fastify calls (lib/route.js, lib/validation.js): a factory per schema set, a compiler per route part. */
type RouteSchema = { schema: unknown; method?: string; url?: string; httpPart?: string; httpStatus?: string; contentType?: string };
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Serialize = (data: unknown) => string;
type ValidatorFactory = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Validate;
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Serialize;

// The very modules Fastify's schema controller would require: resolved from Fastify's own location.
const requireAsFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const defaultValidatorFactory = (): ValidatorFactory => (requireAsFastify('@fastify/ajv-compiler') as () => ValidatorFactory)();
const defaultSerializerFactory = (): SerializerFactory => (requireAsFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();

export interface LazySchemaCompilers {
  /** For Fastify's `schemaController.compilersFactory`. */
  compilersFactory: CompilersFactory;
  /** Compiles every route schema not compiled yet; throws the first that fails, naming its route. */
  compileAll(): void;
  /** Route schema parts registered, and how many of them are compiled. */
  counts(): { registered: number; compiled: number };
}

const byApp = new WeakMap<FastifyInstance, LazySchemaCompilers>();

/** The factories for one Fastify instance (one validator pool, like Fastify's default). */
export function lazySchemaCompilers(): LazySchemaCompilers {
  let validators: ValidatorFactory | undefined;
  let serializers: SerializerFactory | undefined;
  const thunks: (() => unknown)[] = [];
  let compiled = 0;

  function lazily<T>(what: string, route: { method?: string; url?: string }, compile: () => T): () => T {
    let result: T | undefined;
    const get = (): T => {
      if (result === undefined) {
        try {
          result = compile();
        } catch (err) {
          // The words Fastify uses when the same schema fails at ready.
          throw new Error(`Failed building the ${what} schema for ${route.method}: ${route.url}, due to error ${(err as Error).message}`, { cause: err });
        }
        compiled++;
      }
      return result;
    };
    thunks.push(get);
    return get;
  }

  const buildValidator: ValidatorFactory = (externalSchemas, options) => {
    let compiler: ReturnType<ValidatorFactory> | undefined;
    const compilerOf = () => (compiler ??= (validators ??= defaultValidatorFactory())(externalSchemas, options));
    return (route) => {
      if (route.httpPart === 'headers') assertLowercaseHeaderNames(route.schema, `${route.method} ${route.url}`);
      const fn = lazily('validation', route, () => compilerOf()(route));
      // Fastify reads `schemaEnv` (Ajv passes the parent along so defaults can be applied) and
      // `errors` (set by the last call) from the function it holds: both come from the compiled one.
      const validate: Validate = (data, context) => fn()(data, context);
      Object.defineProperties(validate, {
        schemaEnv: { get: () => fn().schemaEnv },
        errors: { get: () => fn().errors },
      });
      return validate;
    };
  };

  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    let compiler: ReturnType<SerializerFactory> | undefined;
    const compilerOf = () => (compiler ??= (serializers ??= defaultSerializerFactory())(externalSchemas, options));
    return (route) => {
      const fn = lazily('serialization', route, () => compilerOf()(route));
      return (data) => fn()(data);
    };
  };

  return {
    compilersFactory: { buildValidator, buildSerializer } as unknown as CompilersFactory,
    compileAll: () => thunks.forEach((get) => get()),
    counts: () => ({ registered: thunks.length, compiled }),
  };
}

/** Remembers which compilers an app uses, for `compileRouteSchemas`. */
export function attachSchemaCompilers(app: FastifyInstance, compilers: LazySchemaCompilers): void {
  byApp.set(app, compilers);
}

/** Compiles every route schema of `app` now (what Fastify alone would have done at ready). */
export function compileRouteSchemas(app: FastifyInstance): { registered: number; compiled: number } {
  const compilers = compilersOf(app);
  compilers.compileAll();
  return compilers.counts();
}

/** How many route schema parts `app` has and how many are compiled so far. */
export function routeSchemaCounts(app: FastifyInstance): { registered: number; compiled: number } {
  return compilersOf(app).counts();
}

function compilersOf(app: FastifyInstance): LazySchemaCompilers {
  const compilers = byApp.get(app);
  if (!compilers) throw new Error('this app was not built with lazy schema compilers');
  return compilers;
}

/**
 * Fastify lowercases a headers schema's names only for its default compiler (Node lowercases
 * every received header name). With these factories it does not, so a name that is not
 * lowercase (which would silently never match) is refused when the route is registered.
 */
function assertLowercaseHeaderNames(schema: unknown, route: string): void {
  if (schema === null || typeof schema !== 'object') return;
  if (Array.isArray(schema)) return schema.forEach((s) => assertLowercaseHeaderNames(s, route));
  const s = schema as Record<string, unknown>;
  const names = [...Object.keys((s.properties as object | undefined) ?? {}), ...(Array.isArray(s.required) ? (s.required as string[]) : [])];
  const bad = names.find((n) => n !== n.toLowerCase());
  if (bad !== undefined) throw new Error(`${route}: header "${bad}" in the headers schema must be written in lowercase`);
  for (const value of Object.values(s)) assertLowercaseHeaderNames(value, route);
}
