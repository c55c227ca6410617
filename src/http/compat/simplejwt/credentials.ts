import type { Core } from '../../../core/core.js';
import { AuthError, credentialError, fieldError } from '../../../core/errors.js';
import { enforceRateLimit } from '../../../core/rate-limit.js';
import { isStorableText } from '../../../core/users/normalize.js';
import { findUserByEmail, findUsersByUsername } from '../../../store/users-repo.js';
import { fields, nonBlank } from '../views.js';

/** The seed's answer to a login without `email` (its USERNAME_FIELD), a `username` login included. */
const emailRequired = () => fieldError({ email: ['This field is required.'] });

/**
 * The email to log in with. `email` is the seed's USERNAME_FIELD; the README logs in with
 * `username`, carrying either the email or the account's username. Usernames are free and may be
 * shared here, so a `username` naming more than one account (two by username, or one by username
 * and another by email) names none, and gets the seed's own answer to a username login. A name
 * naming no account goes on as an email and fails like a wrong password.
 */
export async function loginEmail(core: Core, email: string | undefined, username: string | undefined, ip: string): Promise<string> {
  if (email) return email;
  if (!username) throw emailRequired();
  // NUL bytes break PostgreSQL text: such a name is nobody's, and login() refuses it like any unknown one.
  if (!isStorableText(username)) return username;
  const named = await findUsersByUsername(core.db, username, 2);
  const byEmail = username.includes('@') ? await findUserByEmail(core.db, username) : undefined;
  const ids = new Set([...named, ...(byEmail ? [byEmail] : [])].map((user) => user.id));
  if (ids.size > 1) {
    // The answer tells a shared name from others: it costs a login attempt from this address, as
    // every other answer here does (login() charges it), so names cannot be probed without limit.
    await enforceRateLimit(core, 'login_ip', ip);
    throw emailRequired();
  }
  return named.length === 1 ? named[0]!.email : username;
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
