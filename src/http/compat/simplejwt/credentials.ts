import type { Core } from '../../../core/core.js';
import { AuthError, credentialError, fieldError } from '../../../core/errors.js';
import type { RequestMeta } from '../../../core/audit.js';
import { resolveLoginName } from '../../../core/login-by-name.js';
import { fields, nonBlank } from '../views.js';

/** The seed's answer to a login without `email` (its USERNAME_FIELD), a `username` login included. */
const emailRequired = () => fieldError({ email: ['This field is required.'] });

/**
 * The email to log in with. `email` is the seed's USERNAME_FIELD; the README logs in with
 * `username`, carrying either the email or the account's username (core/login-by-name.ts). A name
 * several accounts share gets the seed's own answer to a username login.
 */
export async function loginEmail(core: Core, email: string | undefined, username: string | undefined, meta: RequestMeta): Promise<string> {
  if (email) return email;
  if (!username) throw emailRequired();
  const named = await resolveLoginName(core, username, meta);
  if (named.kind === 'ambiguous') throw emailRequired();
  return named.email;
}

/**
 * TokenRefreshView's body: no length limit but the body's, since SimpleJWT answers any token it
 * cannot use with 401, never 400.
 */
export const refreshBody = fields({ refresh: nonBlank(1 << 30) }, ['refresh']);

/**
 * A refresh that failed because the token is one of our access tokens is SimpleJWT's "wrong type"
 * (RefreshToken.verify_token_type); anything else stays as it was.
 */
export async function withRefreshTypeReason(core: Core, presented: string, err: unknown): Promise<unknown> {
  if (!(err instanceof AuthError) || err.code !== 'refresh_token_invalid' || presented.split('.').length !== 3) return err;
  const isAccess = await core.accessTokens.verify(presented).then(
    () => true,
    () => false,
  );
  return isAccess ? credentialError('refresh_token_invalid', 'wrong_type') : err;
}
