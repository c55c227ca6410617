import type { FastifyRequest } from 'fastify';
import type { AuthError, ErrorCode, FieldErrors } from '../../core/errors.js';
import type { ErrorRenderer, RenderedError } from '../errors.js';

/** The seed's own status and body for one error, or undefined to fall back to DRF's. */
export type DrfOverride = (err: AuthError, request: FastifyRequest) => { status?: number; body: unknown } | undefined;

export interface DrfErrorOptions {
  /**
   * WWW-Authenticate of the view's first authentication class. null: the class sends none,
   * and DRF then answers 403 where it would have answered 401.
   */
  challenge: string | null;
  /** The seed's words for some errors. */
  overrides?: Partial<Record<ErrorCode, DrfOverride>>;
  /** Core field names as the seed spells them (phone_number → phoneNumber). */
  fieldNames?: Record<string, string>;
}

/** The error's wire body already composed by the compat layer (SimpleJWT's token errors). */
export const wireBody = 'wireBody';

function mediaType(request: FastifyRequest): string {
  const type = request.headers['content-type'];
  return typeof type === 'string' ? type.split(';')[0]!.trim().slice(0, 100) : '';
}

/** DRF's `detail` for errors raised with the catalog's default message. */
const drfDetail: Partial<Record<ErrorCode, (request: FastifyRequest) => string>> = {
  not_authenticated: () => 'Authentication credentials were not provided.',
  permission_denied: () => 'You do not have permission to perform this action.',
  not_found: () => 'Not found.',
  method_not_allowed: (r) => `Method "${r.method}" not allowed.`,
  unsupported_media_type: (r) => `Unsupported media type "${mediaType(r)}" in request.`,
  internal: () => 'A server error occurred.',
};

function renameFields(fields: FieldErrors, names: Record<string, string> | undefined): FieldErrors {
  if (!names) return fields;
  return Object.fromEntries(Object.entries(fields).map(([field, messages]) => [names[field] ?? field, messages]));
}

/**
 * What a Django REST framework view answers: `{"detail": …}`, `{"field": [...]}` or
 * `{"non_field_errors": [...]}`, with DRF's status codes (401 becomes 403 when the
 * authentication class sends no challenge) and Retry-After on throttling.
 */
export function drfErrorRenderer(options: DrfErrorOptions): ErrorRenderer {
  return (err, request): RenderedError => {
    const custom = options.overrides?.[err.code]?.(err, request);
    let status = custom?.status ?? err.status;
    let body: unknown = custom?.body;
    if (body === undefined) {
      const composed = err.facts[wireBody];
      if (composed !== undefined) body = composed;
      else if (err.fields && Object.keys(err.fields).length) body = renameFields(err.fields, options.fieldNames);
      else {
        // Media-type errors always get DRF's words; others only when raised without a message of their own.
        const useDrf = err.code === 'unsupported_media_type' || err.catalogMessage;
        body = { detail: (useDrf ? drfDetail[err.code]?.(request) : undefined) ?? err.message };
      }
    }
    if (status === 401 && options.challenge === null) status = 403;
    const headers: Record<string, string> = {};
    if (typeof err.facts.retryAfter === 'number') headers['retry-after'] = String(err.facts.retryAfter);
    if (typeof err.facts.allow === 'string') headers.allow = err.facts.allow;
    if (status === 401 && options.challenge) headers['www-authenticate'] = options.challenge;
    return { status, body, contentType: 'application/json; charset=utf-8', headers };
  };
}

/** Route config for a DRF-style view: its renderer and its WWW-Authenticate challenge. */
export function drfRouteConfig(options: DrfErrorOptions): { renderError: ErrorRenderer; authChallenge?: string } {
  return { renderError: drfErrorRenderer(options), ...(options.challenge ? { authChallenge: options.challenge } : {}) };
}

/** Override: the error as `{"non_field_errors": [message]}` (a serializer's validate() failing). */
export function asNonFieldError(message?: string, status = 400): DrfOverride {
  return (err) => ({ status, body: { non_field_errors: [message ?? err.message] } });
}

/** Override: the error as `{"detail": message}` with the given status. */
export function asDetail(status: number, detail?: string): DrfOverride {
  return (err) => ({ status, body: { detail: detail ?? err.message } });
}
