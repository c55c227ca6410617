import type { AuthenticateCtx, Principal } from '../authenticate.js';
import type { Core } from '../core.js';
import { credentialError } from '../errors.js';
import { verifyDjangoJwt } from './verify-jwt.js';

/**
 * An access JWT of the old Django system, honoured until its `exp` when GATEHOUSE_DJANGO_SIGNING_KEY
 * is set: SimpleJWT's checks, then JWTAuthentication.get_user()'s (a deleted or disabled account is
 * refused with that reason). It names no session, so it is the request's credential only.
 */
export async function authenticateDjangoAccess(core: Pick<AuthenticateCtx, 'clock' | 'users'> & Pick<Core, 'config'>, token: string): Promise<Principal> {
  const key = core.config.djangoSigningKey;
  if (!key) throw credentialError('invalid_token', 'malformed');
  const claims = await verifyDjangoJwt(key, token, 'access', core.clock.now(), 'invalid_token');
  const user = await core.users.get(claims.userId);
  if (!user) throw credentialError('invalid_token', 'user_not_found', 'The account no longer exists');
  if (!user.is_active) throw credentialError('invalid_token', 'user_inactive', 'The account is disabled');
  return { user, scheme: 'Bearer' };
}
