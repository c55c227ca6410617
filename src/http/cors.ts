import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Core } from '../core/core.js';
import { anyOriginPaths } from './compat/registry.js';

/** What a preflight allows: every method the APIs use, and the two headers their clients send. */
const preflight = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  /** Seconds a browser may reuse a preflight (Chromium caps it at 7200). */
  maxAge: 600,
} as const;

/**
 * The admin console and admin API (cookie-authenticated) never answer cross-origin, whatever
 * GATEHOUSE_CORS_ORIGINS says. Checked on the decoded, case-folded path with slashes collapsed,
 * so no other spelling of the path slips by.
 */
export function isAdminPath(path: string): boolean {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // An undecodable path is checked as written.
  }
  const p = decoded.toLowerCase().replace(/[/\\]+/g, '/');
  return /^\/(v1\/)?admin(\/|$)/.test(p);
}

/** The path CORS is decided on: the matched route's pattern, or for preflights and 404s the URL's path. */
function pathOf(request: FastifyRequest): string {
  const route = request.method === 'OPTIONS' ? undefined : request.routeOptions.url;
  return route ?? request.url.split('?', 1)[0]!;
}

/**
 * The origins allowed for one request: GATEHOUSE_CORS_ORIGINS for the whole server when set;
 * otherwise any origin on the routes of profiles whose seeds allowed every origin, none elsewhere.
 * `true` reflects the request's origin (it is on the list), `false` sends no CORS headers.
 */
export function allowedOrigin(origins: Config['corsOrigins'], seedPaths: ReadonlySet<string>, request: FastifyRequest): '*' | boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  const path = pathOf(request);
  if (isAdminPath(path)) return false;
  const policy = origins ?? (seedPaths.has(path) ? '*' : 'none');
  if (policy === '*') return '*';
  if (policy === 'none') return false;
  // Exact string match: no suffix, prefix or pattern tricks (https://app.example.com.evil.test is another origin).
  return policy.includes(origin);
}

/**
 * CORS with @fastify/cors: answered in onRequest, so a preflight gets its 204 before any
 * authentication runs. No credentials mode: the APIs take Bearer tokens, never cookies, so
 * Access-Control-Allow-Credentials is never sent (and `*` never goes with it).
 */
export async function registerCors(app: FastifyInstance, core: Core): Promise<void> {
  const seedPaths = anyOriginPaths(core.config.compat);
  // One options object per answer, made once: this runs on every request.
  const base = { credentials: false, methods: [...preflight.methods], allowedHeaders: [...preflight.allowedHeaders], maxAge: preflight.maxAge };
  const answers = { any: { ...base, origin: '*' }, listed: { ...base, origin: true }, off: { ...base, origin: false } };
  const options: FastifyCorsOptions = {
    hook: 'onRequest',
    delegator: (request, callback) => {
      const allowed = allowedOrigin(core.config.corsOrigins, seedPaths, request);
      callback(null, allowed === '*' ? answers.any : allowed ? answers.listed : answers.off);
    },
  };
  await app.register(cors, options);
}
