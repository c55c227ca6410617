import type { RequestMeta } from '../audit.js';
import type { Principal } from '../authenticate.js';
import type { Core } from '../core.js';
import { AuthError } from '../errors.js';
import { establishSession, type EstablishSessionCtx } from '../login/establish-session.js';
import type { LoginSuccess } from '../login/verdict.js';
import { randomToken, tokenDigest } from '../secrets.js';
import { findEnrolmentToken, insertEnrolmentToken } from '../../store/mfa-requirement-repo.js';

/** Enrolment tokens read as what they are (and are never mistaken for a JWT or a refresh token). */
export const enrolmentTokenPrefix = 'ghe_';
/** How long an enrolment-only credential works: long enough to scan a QR code or touch a key. */
export const enrolmentTokenSeconds = 15 * 60;

export interface EnrolmentCredential {
  enrolmentToken: string;
  expiresIn: number;
}

/**
 * An account past its enrolment grace logged in with its password: it gets a session that can do
 * nothing but enrol a factor. The session is real (audited, listed, ended by endAccess and by a
 * password change) but its access and refresh tokens are never handed out; the client gets an
 * opaque token, stored as its digest, that only the enrolment routes accept.
 */
export async function openEnrolmentSession(ctx: EstablishSessionCtx, verdict: LoginSuccess, meta: RequestMeta): Promise<EnrolmentCredential> {
  const result = await establishSession(ctx, verdict, { auditDetail: { restricted: 'mfa_enrolment', amr: ['pwd'] } }, meta);
  if (!result.tokens) throw new AuthError('internal');
  const enrolmentToken = enrolmentTokenPrefix + randomToken(32);
  const now = ctx.clock.now();
  await insertEnrolmentToken(ctx.db, { token_hash: tokenDigest(enrolmentToken), user_id: verdict.user.id, session_id: result.tokens.session_id, created_at: now, expires_at: now + enrolmentTokenSeconds * 1000 });
  return { enrolmentToken, expiresIn: enrolmentTokenSeconds };
}

/** True when a Bearer value is shaped like an enrolment token (routes decide where it may be used). */
export function isEnrolmentToken(value: string): boolean {
  return value.startsWith(enrolmentTokenPrefix) && value.length <= 100;
}

/**
 * The account an enrolment token speaks for, with its session: unexpired, its session not
 * revoked, the account active. Anything else is an invalid token.
 */
export async function authenticateEnrolmentToken(ctx: Pick<Core, 'db' | 'clock' | 'users' | 'revocations'>, token: string): Promise<Principal> {
  const row = isEnrolmentToken(token) ? await findEnrolmentToken(ctx.db, tokenDigest(token), ctx.clock.now()) : undefined;
  if (!row || ctx.revocations.isRevoked(row.session_id)) throw new AuthError('invalid_token', 'The enrolment token is invalid or expired; log in again.');
  const user = await ctx.users.get(row.user_id);
  if (!user || !user.is_active) throw new AuthError('invalid_token', 'The enrolment token is invalid or expired; log in again.');
  return { user, sessionId: row.session_id, scheme: 'Bearer', enrolmentOnly: true };
}
