import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, errorCatalog, problemExtensions, type FieldErrors } from '../core/errors.js';
import { allDialects, type WriteRefusal } from '../store/dialect/index.js';

export interface RenderedError {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Turns an AuthError into a response; the native API and each compat profile bring their own. */
export type ErrorRenderer = (err: AuthError, request: FastifyRequest) => RenderedError;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How this route renders errors (default: RFC 9457 problem details). */
    renderError?: ErrorRenderer;
    /** Scheme named in WWW-Authenticate on 401s from this route. */
    authChallenge?: string;
  }
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** DRF's words for JSON-schema failures, so every API speaks alike. */
function issueMessage(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type': {
      const t = String(issue.params.type);
      if (t.includes('string')) return 'Not a valid string.';
      if (t.includes('integer')) return 'A valid integer is required.';
      if (t.includes('number')) return 'A valid number is required.';
      if (t.includes('boolean')) return 'Must be a valid boolean.';
      if (t.includes('array')) return 'Expected a list of items.';
      return `Expected ${t}.`;
    }
    case 'maxLength':
      return `Ensure this field has no more than ${issue.params.limit} characters.`;
    case 'minLength':
      return issue.params.limit === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${issue.params.limit} characters.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${issue.params.limit}.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${issue.params.limit}.`;
    case 'enum':
      return `"${'value'}" is not a valid choice. Choose one of: ${(issue.params.allowedValues as unknown[]).join(', ')}.`;
    case 'format':
      return issue.params.format === 'email' ? 'Enter a valid email address.' : `Enter a valid ${issue.params.format}.`;
    default:
      return issue.message ?? 'Invalid value.';
  }
}

export function validationFields(issues: AjvIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    const field = issue.keyword === 'required' ? String(issue.params.missingProperty) : path || 'non_field_errors';
    const message = issueMessage(issue);
    const list = (fields[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return fields;
}

/** Network failures: the server is fine, a backing service (the database, Redis) cannot be reached. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const unavailableMessages = /timeout exceeded when trying to connect|Connection terminated|not queryable|pool after calling end|^redis unavailable|Command timed out|Connection is closed/;

/** 'read-only' or 'disk full' when the database refused a write for that reason (each dialect knows its codes); undefined otherwise. */
export function writeRefusal(err: unknown): WriteRefusal | undefined {
  if (!(err instanceof Error)) return undefined;
  for (const dialect of allDialects) {
    const refusal = dialect.writeRefusal(err);
    if (refusal) return refusal;
  }
  return undefined;
}

/** True for errors that mean the database (or Redis) cannot be reached or cannot serve right now. */
export function isBackendUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && unreachableCodes.has(code)) return true;
  if (allDialects.some((dialect) => dialect.transient(err))) return true;
  if (err instanceof AggregateError && err.errors.some(isBackendUnavailable)) return true;
  return unavailableMessages.test(err.message);
}

const multipartParseErrors =
  /^(Multipart: Boundary not found|Boundary required|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data|The needle cannot (be an empty String\/Buffer|have a length bigger than 256)\.|Unsupported Content-Type\.|Missing Content-Type-header\.)$/;

/** Any error thrown while serving a request, as an AuthError. */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  // Fail fast with 503 while PostgreSQL restarts: clients and load balancers retry, nothing is half-written.
  if (isBackendUnavailable(err)) return new AuthError('unavailable', 'The service is temporarily unavailable. Try again shortly.', undefined, { retryAfter: 5 });
  const refusal = writeRefusal(err);
  if (refusal) return new AuthError('service_unavailable', 'The service cannot save changes right now. Try again later.', undefined, { retryAfter: 30, refusal });
  const e = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (e?.validation) {
    if (e.validationContext && e.validationContext !== 'body') return new AuthError('validation_failed', `Invalid ${e.validationContext}.`, validationFields(e.validation));
    // A body that is not an object at all (a JSON string or array).
    if (e.validation.some((i) => i.instancePath === '' && i.keyword === 'type')) {
      return new AuthError('malformed_request', 'Invalid data. Expected a dictionary.', { non_field_errors: ['Invalid data. Expected a dictionary, but got another type.'] });
    }
    return new AuthError('validation_failed', undefined, validationFields(e.validation));
  }
  // Busboy (multipart) throws plain Errors for a body it cannot read: a missing or odd boundary, a truncated body.
  if (!e?.code && typeof e?.message === 'string' && multipartParseErrors.test(e.message)) {
    return new AuthError('malformed_request', 'The multipart/form-data body could not be read.');
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AuthError('payload_too_large', 'Request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AuthError('unsupported_media_type', 'Unsupported media type in request. Send application/json, application/x-www-form-urlencoded or multipart/form-data.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AuthError('malformed_request', 'JSON parse error - the body is empty.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AuthError('malformed_request', 'Content-Length does not match the body.');
  }
  if (e instanceof SyntaxError || e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AuthError('malformed_request', 'JSON parse error - the body is not valid JSON.');
  }
  const status = Number(e?.statusCode);
  if (status === 404) return new AuthError('not_found');
  if (status === 405) return new AuthError('method_not_allowed');
  if (status === 413) return new AuthError('payload_too_large', 'Request body is too large.');
  if (status === 415) return new AuthError('unsupported_media_type');
  if (status >= 400 && status < 500) return new AuthError('malformed_request', e.message);
  return new AuthError('internal');
}

/** RFC 9457 problem details; the error code is the problem type. */
export const renderProblem: ErrorRenderer = (err) => {
  const body: Record<string, unknown> = {
    type: `urn:gatehouse:error:${err.code}`,
    title: errorCatalog[err.code].title,
    status: err.status,
    detail: err.message,
    code: err.code,
  };
  if (err.fields) body.errors = err.fields;
  // RFC 9457 extension members a use case attaches (the enrolment token of mfa_enrolment_required).
  const extensions = err.facts[problemExtensions];
  if (extensions && typeof extensions === 'object') Object.assign(body, extensions, body);
  const headers: Record<string, string> = {};
  if (typeof err.facts.retryAfter === 'number') headers['retry-after'] = String(err.facts.retryAfter);
  return { status: err.status, body, contentType: 'application/problem+json; charset=utf-8', headers };
};

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const authError = toAuthError(err);
  if (authError.code === 'internal') request.log.error({ err }, 'unhandled error');
  else if (authError.code === 'service_unavailable' && !(err instanceof AuthError)) request.log.warn({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code } }, `database refuses writes (${String(authError.facts.refusal)})`);
  else if (authError.code === 'unavailable' && !(err instanceof AuthError)) request.log.warn({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code } }, 'backing service unavailable');
  const config = request.routeOptions?.config;
  const render = config?.renderError ?? renderProblem;
  const out = render(authError, request);
  if (out.status === 401 && !reply.hasHeader('www-authenticate')) {
    // RFC 6750: a presented token that was refused says so (profiles with their own challenge keep it exact).
    const refused = ['invalid_token', 'token_expired', 'session_revoked'].includes(authError.code);
    reply.header('www-authenticate', config?.authChallenge ?? `Bearer realm="gatehouse"${refused ? ', error="invalid_token"' : ''}`);
  }
  for (const [k, v] of Object.entries(out.headers ?? {})) reply.header(k, v);
  reply.code(out.status);
  if (out.contentType) reply.type(out.contentType);
  return reply.send(out.body);
}
