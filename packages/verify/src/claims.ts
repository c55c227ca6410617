import type { JWTPayload } from 'jose';
import { VerifyError } from './errors.js';

/** A verified Gatehouse access token's claims. */
export interface GatehouseClaims {
  /** The user id, as a string (also `user_id` as a number). */
  sub: string;
  /** The session id: the revocation feed names sessions by it. */
  sid: string;
  iss: string;
  aud?: string | string[];
  /** Epoch seconds. */
  exp: number;
  iat: number;
  /** When the user authenticated (epoch seconds; kept across refreshes). */
  auth_time: number;
  /** How they authenticated (`pwd`, `otp`, …), when the server says. */
  amr?: string[];
  jti?: string;
  user_id: number;
  /** Every other claim the token carries (a compatibility profile's profile claims), unchecked. */
  profile: Record<string, unknown>;
}

const own = new Set(['sub', 'sid', 'iss', 'aud', 'exp', 'iat', 'nbf', 'auth_time', 'amr', 'jti', 'user_id', 'token_type']);

/** The typed view of a payload whose signature and iss/aud/exp jose has checked; `malformed` when a Gatehouse claim is missing or off. */
export function toClaims(payload: JWTPayload): GatehouseClaims {
  const bad = (what: string) => new VerifyError('malformed', `The token ${what}.`);
  if (payload.token_type !== undefined && payload.token_type !== 'access') throw bad('is not an access token');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw bad('has no subject');
  if (typeof payload.sid !== 'string' || payload.sid === '') throw bad('has no session id');
  if (typeof payload.iss !== 'string') throw bad('has no issuer');
  if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw bad('has no exp or iat');
  const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat;
  const userId = typeof payload.user_id === 'number' ? payload.user_id : Number(payload.sub);
  const amr = Array.isArray(payload.amr) && payload.amr.every((m) => typeof m === 'string') ? (payload.amr as string[]) : undefined;
  const profile: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) if (!own.has(k)) profile[k] = v;
  return {
    sub: payload.sub,
    sid: payload.sid,
    iss: payload.iss,
    ...(payload.aud === undefined ? {} : { aud: payload.aud }),
    exp: payload.exp,
    iat: payload.iat,
    auth_time: authTime,
    ...(amr ? { amr } : {}),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    user_id: userId,
    profile,
  };
}
