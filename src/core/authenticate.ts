import type { Core } from './core.js';
import { AuthError } from './errors.js';
import type { User } from './users/user.js';

export interface Principal {
  user: User;
  /** Set for Bearer (session) credentials. */
  sessionId?: string;
  /** Set for `Token` credentials. */
  apiTokenId?: string;
  scheme: 'Bearer' | 'Token';
}

/** An access token's user: signature checked once, revocation and account state on every call, no query when cached. */
export async function authenticateBearer(core: Core, token: string): Promise<Principal> {
  const claims = await core.accessTokens.verify(token);
  const user = await core.users.get(claims.userId);
  if (!user || !user.is_active) throw new AuthError('invalid_token', 'User not found');
  return { user, sessionId: claims.sessionId, scheme: 'Bearer' };
}

export async function authenticateApiToken(core: Core, key: string): Promise<Principal> {
  const { userId, tokenId } = await core.apiTokens.resolve(key);
  const user = await core.users.get(userId);
  if (!user || !user.is_active) throw new AuthError('invalid_token', 'User inactive or deleted.');
  return { user, apiTokenId: tokenId, scheme: 'Token' };
}
