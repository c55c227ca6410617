import type { FastifyRequest } from 'fastify';

/**
 * The routes an enrolment-only session (core/mfa/enrolment-session.ts) may use: adding a
 * second factor and seeing what it has. Every other route refuses its token with
 * mfa_enrolment_required. One list, so a new factor's enrolment routes are added here.
 */
export const enrolmentRoutes: ReadonlySet<string> = new Set([
  'GET /v1/me/passkeys',
  'POST /v1/me/passkeys/options',
  'POST /v1/me/passkeys',
  'GET /v1/me/mfa',
  'POST /v1/me/mfa/totp',
  'POST /v1/me/mfa/totp/confirm',
]);

/** True when the request's route is one an enrolment-only session may use. */
export function isEnrolmentRoute(request: FastifyRequest): boolean {
  return enrolmentRoutes.has(`${request.method} ${request.routeOptions.url ?? ''}`);
}

/** The `mfa_enrolment_required_by` member of a native login answer (its schema is mfaEnrolmentRequiredBy). */
export function enrolmentDeadline(result: { mfaEnrolmentRequiredBy?: number }): { mfa_enrolment_required_by?: string } {
  return result.mfaEnrolmentRequiredBy === undefined ? {} : { mfa_enrolment_required_by: new Date(result.mfaEnrolmentRequiredBy).toISOString() };
}

export const mfaEnrolmentRequiredBy = {
  type: 'string',
  format: 'date-time',
  description: 'Present while the account is in its enrolment grace: a "require MFA" setting applies to it and it has no second factor. Past this time a password login only gets an enrolment-only session (403 mfa_enrolment_required with an enrolment_token).',
} as const;
