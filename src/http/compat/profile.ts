import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Core } from '../../core/core.js';
import type { DrfErrorOptions } from './drf-errors.js';
import type { ProfileDefaults } from './profile-defaults.js';

export type CompatMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One view of a seed's API: its path and method, how it authenticates and renders errors, and its handler. */
export interface CompatRoute {
  method: CompatMethod;
  /** The seed's path, with its trailing slash; the path without it is served too. */
  path: string;
  summary: string;
  description?: string;
  /** JSON schema of the body's fields (sent as JSON, form or multipart). */
  body?: Record<string, unknown>;
  /** Success response schemas (serialization and docs). */
  response?: Record<number, unknown>;
  /** How a client authenticates, for the docs. */
  security?: 'token' | 'bearer';
  /** Checks credentials before the handler and sets request.principal. */
  authenticate?: (core: Core) => preHandlerAsyncHookHandler;
  errors: DrfErrorOptions;
  /** Takes an image upload: the body may be as large as an avatar (plus the form's other fields). */
  uploads?: boolean;
  handler(core: Core, request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/** A compatibility profile: the routes that serve one seed project's API. */
export interface CompatProfile {
  /** The name in GATEHOUSE_COMPAT. */
  name: string;
  /** Which seed README it serves. */
  seed: string;
  summary: string;
  /**
   * The seed answered every origin (django-cors-headers' CORS_ALLOW_ALL_ORIGINS): so do these
   * routes, unless GATEHOUSE_CORS_ORIGINS says otherwise (http/cors.ts).
   */
  anyOrigin?: boolean;
  /** Defaults of settings this profile's seed expects (src/http/compat/profile-defaults.ts lists them for config). */
  defaults?: ProfileDefaults;
  routes: CompatRoute[];
}

/** The same route, path written without its trailing slash (Django would redirect; we answer). */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Every path a route answers on: as the seed writes it and without the trailing slash. */
export function urlsOf(path: string): string[] {
  return [...new Set([path, withoutTrailingSlash(path)])];
}
