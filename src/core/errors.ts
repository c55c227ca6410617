/**
 * Every error the core raises, in one catalog. Codes are stable and never reused;
 * the native API puts them in the problem `type`, compat renderers map them to DRF words.
 */
export const errorCatalog = {
  validation_failed: { status: 400, title: 'The request has invalid fields' },
  malformed_request: { status: 400, title: 'The request body could not be read' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  not_authenticated: { status: 401, title: 'Authentication credentials were not provided' },
  invalid_token: { status: 401, title: 'The token is invalid' },
  token_expired: { status: 401, title: 'The token has expired' },
  session_revoked: { status: 401, title: 'The session has ended' },
  invalid_credentials: { status: 401, title: 'Unable to log in with the provided credentials' },
  account_inactive: { status: 403, title: 'The account is disabled' },
  account_not_approved: { status: 403, title: 'The account is awaiting activation by an administrator' },
  email_not_verified: { status: 403, title: 'The email address has not been verified' },
  account_locked: { status: 429, title: 'Too many failed attempts; the account is temporarily locked' },
  refresh_token_invalid: { status: 401, title: 'The refresh token is invalid or expired' },
  refresh_token_reused: { status: 401, title: 'The refresh token was already used; the session has been ended' },
  wrong_password: { status: 400, title: 'The current password is incorrect' },
  permission_denied: { status: 403, title: 'You do not have permission to perform this action' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The resource already exists' },
  rate_limited: { status: 429, title: 'Too many requests' },
  second_factor_required: { status: 403, title: 'This account needs a second factor, which this route cannot take' },
  mfa_required: { status: 401, title: 'The password is right; this account needs its second factor' },
  mfa_token_invalid: { status: 401, title: 'The mfa_token is invalid, expired or used up; log in again' },
  invalid_mfa_code: { status: 401, title: 'The second-factor code is invalid' },
  mfa_enrolment_required: { status: 403, title: 'This account must enrol a second factor first' },
  step_up_required: { status: 403, title: 'This change needs a fresh second factor' },
  otp_invalid: { status: 400, title: 'The code is invalid' },
  otp_expired: { status: 400, title: 'The code has expired' },
  otp_attempts_exceeded: { status: 400, title: 'Too many wrong codes; request a new one' },
  reset_token_invalid: { status: 400, title: 'The reset token is invalid or expired' },
  verification_token_invalid: { status: 400, title: 'The verification token is invalid or expired' },
  unavailable: { status: 503, title: 'A backing service is unavailable' },
  service_unavailable: { status: 503, title: 'The database refuses writes right now' },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** The AuthError fact holding members the native problem body adds (RFC 9457 extensions); compat renderers ignore it. */
export const problemExtensions = 'problemExtensions';
export type FieldErrors = Record<string, string[]>;

/**
 * Why a credential was refused, beside its code, for renderers that word failures differently
 * (SimpleJWT tells a wrong token type from a bad one, a deleted user from a disabled one).
 */
export const failureReasons = ['malformed', 'bad_signature', 'expired', 'wrong_type', 'wrong_issuer', 'user_not_found', 'user_inactive'] as const;
export type FailureReason = (typeof failureReasons)[number];

export class AuthError extends Error {
  readonly status: number;
  /** Raised without a message of its own: a renderer may use its own words for the code. */
  readonly catalogMessage: boolean;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: FieldErrors,
    /** Extra facts for renderers (e.g. retryAfter seconds). */
    readonly facts: Record<string, unknown> = {},
    readonly reason?: FailureReason,
  ) {
    super(message ?? errorCatalog[code].title);
    this.name = 'AuthError';
    this.catalogMessage = message === undefined;
    this.status = errorCatalog[code].status;
  }
}

/** A refused credential with its reason (and the catalog's message unless one is given). */
export function credentialError(code: ErrorCode, reason: FailureReason, message?: string): AuthError {
  return new AuthError(code, message, undefined, {}, reason);
}

export function fieldError(fields: FieldErrors, message?: string): AuthError {
  return new AuthError('validation_failed', message, fields);
}

/** Collects field errors and throws them together. */
export class FieldErrorBag {
  readonly fields: FieldErrors = {};
  add(field: string, message: string): void {
    (this.fields[field] ??= []).push(message);
  }
  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }
  throwIfAny(): void {
    if (!this.empty) throw fieldError(this.fields);
  }
}
