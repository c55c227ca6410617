import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { credentialError, type ErrorCode, type FailureReason } from '../errors.js';

/** What an old SimpleJWT token says, once its signature and claims are checked. */
export interface DjangoJwtClaims {
  jti: string;
  userId: number;
  /** Seconds, as in the token. */
  exp: number;
  /** Seconds; SimpleJWT always sets it (a token without one counts as issued at the epoch). */
  iat: number;
}

export type DjangoTokenType = 'access' | 'refresh';

/**
 * SimpleJWT's tokens carry no `kid` (Gatehouse's always do) and are HS256: only such a token is
 * worth checking against the old key, so Gatehouse's own refused tokens cost no second verification.
 */
export function looksLikeDjangoJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    const header = decodeProtectedHeader(token);
    return header.alg === 'HS256' && header.kid === undefined;
  } catch {
    return false;
  }
}

/** SimpleJWT's USER_ID_CLAIM: an integer id, or the string `str(pk)` writes for one. */
function userIdOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Checks a token the old Django system issued as SimpleJWT does (Token.__init__ and verify()): the
 * HS256 signature under the old signing key, `exp` (PyJWT, no leeway), a `jti`, `token_type` equal to
 * `expected`, and a `user_id`. Refusals are `code` with SimpleJWT's distinction of a token of the
 * other type; everything else reads as a bad token, as its one "invalid or expired" message does.
 */
export async function verifyDjangoJwt(key: string, token: string, expected: DjangoTokenType, nowMs: number, code: ErrorCode): Promise<DjangoJwtClaims> {
  const refuse = (reason: FailureReason) => credentialError(code, reason, 'The old system\'s token is not valid');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(key), { algorithms: ['HS256'], currentDate: new Date(nowMs) }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refuse('expired');
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw refuse('bad_signature');
    throw refuse('malformed');
  }
  // PyJWT's check_exp runs only when the claim is there; SimpleJWT's own check_exp requires it.
  if (typeof payload.exp !== 'number') throw refuse('malformed');
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 255) throw refuse('malformed');
  if (payload.token_type !== expected) throw refuse(payload.token_type === undefined ? 'malformed' : 'wrong_type');
  const userId = userIdOf(payload.user_id);
  if (userId === undefined) throw refuse('malformed');
  return { jti: payload.jti, userId, exp: payload.exp, iat: typeof payload.iat === 'number' ? payload.iat : 0 };
}
