import type { Core } from '../../../core/core.js';
import type { ClaimsFor, ExtraClaims } from '../../../core/access-tokens.js';
import { AuthError } from '../../../core/errors.js';
import type { User } from '../../../core/users/user.js';
import { avatarUrl } from '../views.js';

/**
 * The claims seed 001's MyTokenObtainPairSerializer adds to its tokens, which its front end
 * decodes to show who is signed in. `image` is the avatar URL, or the seed's "default.jpg".
 */
export function profileClaims(user: User, publicUrl: string) {
  return {
    full_name: `${user.first_name} ${user.last_name}`.trim(),
    username: user.username,
    email: user.email,
    bio: user.bio,
    image: avatarUrl(user, publicUrl) ?? 'default.jpg',
    verified: user.email_verified,
  };
}

/** The login claims option: the seed's profile claims, signed into the one access token. */
export function seedClaims(core: Pick<Core, 'config'>): (user: User) => ExtraClaims {
  return (user) => profileClaims(user, core.config.publicUrl);
}

/** The refresh claims option: the token's user, as cached, or the refresh is refused (a deleted account). */
export function seedClaimsFor(core: Pick<Core, 'config' | 'users'>): ClaimsFor {
  return async (userId) => {
    const user = await core.users.get(userId);
    if (!user) throw new AuthError('refresh_token_invalid');
    return profileClaims(user, core.config.publicUrl);
  };
}

export const tokenPairSchema = {
  type: 'object',
  properties: { refresh: { type: 'string' }, access: { type: 'string' } },
} as const;

export const responseSchema = { type: 'object', properties: { response: { type: 'string' } } } as const;
