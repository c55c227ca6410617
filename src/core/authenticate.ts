import type { Core } from './core.js';
import type { AccessClaims } from './access-tokens.js';
import { AuthError, credentialError, type ErrorCode } from './errors.js';
import { tokenDigest } from './secrets.js';
import type { User } from './users/user.js';
import { refreshTokenUnexpired } from '../store/sessions-repo.js';

/** What checking a credential needs. */
export type AuthenticateCtx = Pick<Core, 'db' | 'clock' | 'accessTokens' | 'users' | 'apiTokens'>;

export interface Principal {
  user: User;
  /** Set for Bearer (session) credentials. */
  sessionId?: string;
  /** Set for `Token` credentials. */
  apiTokenId?: string;
  scheme: 'Bearer' | 'Token';
  /** An enrolment-only session (core/mfa/enrolment-session.ts): only the enrolment routes accept it. */
  enrolmentOnly?: true;
}

/** Why an account may not act (deleted or disabled), as an error with `code`; undefined when it may. */
function accountRefusal(code: ErrorCode, user: User | undefined): AuthError | undefined {
  if (!user) return credentialError(code, 'user_not_found', 'The account no longer exists');
  return user.is_active ? undefined : credentialError(code, 'user_inactive', 'The account is disabled');
}

/**
 * A session ended because its account was deleted or disabled says so (the code stays
 * session_revoked), so renderers can answer what JWTAuthentication's user check answers.
 */
async function withRevocationReason(core: Pick<AuthenticateCtx, 'users'>, err: unknown): Promise<unknown> {
  if (!(err instanceof AuthError) || err.code !== 'session_revoked' || typeof err.facts.userId !== 'number') return err;
  return accountRefusal('session_revoked', await core.users.get(err.facts.userId)) ?? err;
}

/**
 * A refresh token of ours presented as an access token is refused as the wrong type rather than as
 * garbage (one indexed lookup, only for a refused bearer that is no JWT and no longer than a refresh token may be).
 */
async function withTypeReason(core: Pick<AuthenticateCtx, 'db' | 'clock'>, token: string, err: unknown): Promise<unknown> {
  if (!(err instanceof AuthError) || err.reason !== 'malformed' || token.includes('.') || token.length === 0 || token.length > 512) return err;
  const isRefresh = await refreshTokenUnexpired(core.db, tokenDigest(token), core.clock.now());
  return isRefresh ? credentialError('invalid_token', 'wrong_type', 'The token is a refresh token, not an access token') : err;
}

/** An access token's user: signature checked once, revocation and account state on every call, no query when cached. */
export async function authenticateBearer(core: Pick<AuthenticateCtx, 'db' | 'clock' | 'accessTokens' | 'users'>, token: string): Promise<Principal> {
  let claims: AccessClaims;
  try {
    claims = await core.accessTokens.verify(token);
  } catch (err) {
    throw await withRevocationReason(core, await withTypeReason(core, token, err));
  }
  const user = await core.users.get(claims.userId);
  if (!user || !user.is_active) throw accountRefusal('invalid_token', user);
  return { user, sessionId: claims.sessionId, scheme: 'Bearer' };
}

export async function authenticateApiToken(core: Pick<AuthenticateCtx, 'apiTokens' | 'users'>, key: string): Promise<Principal> {
  const { userId, tokenId } = await core.apiTokens.resolve(key);
  const user = await core.users.get(userId);
  if (!user || !user.is_active) throw new AuthError('invalid_token', 'User inactive or deleted.');
  return { user, apiTokenId: tokenId, scheme: 'Token' };
}
