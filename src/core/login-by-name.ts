import type { RequestMeta } from './audit.js';
import type { Core } from './core.js';
import { enforceRateLimit } from './rate-limit.js';
import { isStorableText } from './users/normalize.js';
import { findUserByEmail, findUsersByUsername } from '../store/users-repo.js';

/** What a free-text name logs in as: an email, or nothing because several accounts answer to it. */
export type NamedLogin = { kind: 'email'; email: string } | { kind: 'ambiguous' };

/**
 * For logins by email whose clients may send a username instead (Django lets usernames repeat):
 * the email of the one account whose username is exactly `name`; `name` itself when no account has
 * it (it then fails like any unknown email); ambiguous when two accounts have it, or one as its
 * username and another as its email. The ambiguous answer tells a shared name from others, so it
 * costs a login attempt from the address, as every other answer does (login() charges it).
 */
/** What resolving a name uses, plus what the rate limit it charges needs. */
export type LoginNameCtx = Pick<Core, 'db'> & Parameters<typeof enforceRateLimit>[0];

export async function resolveLoginName(core: LoginNameCtx, name: string, meta: RequestMeta): Promise<NamedLogin> {
  // NUL bytes break PostgreSQL text: such a name is nobody's, and login() refuses it like any unknown one.
  if (!isStorableText(name)) return { kind: 'email', email: name };
  const named = await findUsersByUsername(core.db, name, 2);
  const byEmail = name.includes('@') ? await findUserByEmail(core.db, name) : undefined;
  const ids = new Set([...named, ...(byEmail ? [byEmail] : [])].map((user) => user.id));
  if (ids.size > 1) {
    await enforceRateLimit(core, 'login_ip', meta.ip);
    return { kind: 'ambiguous' };
  }
  return { kind: 'email', email: named.length === 1 ? named[0]!.email : name };
}
