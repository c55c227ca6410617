/** JSON schemas shared by routes: validation, serialization and the OpenAPI docs come from these. */
import { isEmail } from '../core/users/normalize.js';

/** `format: 'email'` in a schema is the core's one email rule, not ajv-formats' own pattern. */
export function addSchemaFormats(ajv: { addFormat(name: string, format: (value: string) => boolean): unknown }): void {
  ajv.addFormat('email', isEmail);
}

export const str = (maxLength = 1024) => ({ type: 'string', maxLength }) as const;
export const isoTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const publicUserSchema = {
  $id: 'PublicUser',
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    email: { type: 'string' },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    phone_number: { type: 'string' },
    date_of_birth: { type: ['string', 'null'] },
    gender: { type: 'string' },
    bio: { type: 'string' },
    avatar_url: { type: ['string', 'null'] },
    is_active: { type: 'boolean' },
    is_staff: { type: 'boolean' },
    is_superuser: { type: 'boolean' },
    email_verified: { type: 'boolean' },
    pending_email: { type: ['string', 'null'] },
    date_joined: { type: 'string', format: 'date-time' },
    last_login: isoTime,
    locale: { type: ['string', 'null'], description: 'the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE)' },
  },
} as const;

export const tokenPairSchema = {
  $id: 'TokenPair',
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    refresh_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer', description: 'seconds until the access token expires' },
  },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    enrolment_token: { type: 'string', description: 'mfa_enrolment_required from a login: a Bearer token only the second-factor enrolment routes accept' },
    expires_in: { type: 'integer', description: 'Seconds the enrolment_token (or mfa_token) works' },
    mfa_token: { type: 'string', description: 'mfa_required from a login: send it with a second factor to POST /v1/auth/mfa/verify' },
    factors: { type: 'array', items: { type: 'string', enum: ['totp', 'recovery_code', 'passkey'] }, description: 'mfa_required: the second factors this account can finish the login with' },
    mfa_enrolment_required_by: { type: 'string', format: 'date-time', description: 'mfa_enrolment_required: when the enrolment grace ended' },
  },
} as const;

/** A signed-in device, as the native and admin APIs show it. */
export const sessionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    created_at: { type: 'string' },
    last_used_at: { type: 'string' },
    expires_at: { type: 'string' },
    ip: { type: 'string' },
    user_agent: { type: 'string' },
  },
} as const;

export const sharedSchemas = [publicUserSchema, tokenPairSchema, problemSchema];

export const ref = (id: string) => ({ $ref: `${id}#` }) as const;

/** The media type of every native and admin error (errors.ts `renderProblem`). */
export const problemMediaType = 'application/problem+json';

const problemDescriptions: Record<number, string> = {
  400: 'Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter',
  401: 'Not authenticated: no credentials, or credentials that are not (or no longer) valid',
  403: 'Permission denied',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  415: 'Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data',
  429: 'Too many requests; `Retry-After` says when to try again',
  503: 'Temporarily unavailable; `Retry-After` says when to try again',
};

/**
 * Error responses as they are sent: problem details under `application/problem+json`. Keyed by
 * media type, so Fastify serializes an error with this schema when the reply carries that type.
 */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: problemDescriptions[s] ?? 'Problem details', content: { [problemMediaType]: { schema: ref('Problem') } } }]),
  );
}

/** A body object: listed properties, extra ones dropped (as DRF ignores unknown fields). */
export function body(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false } as const;
}
