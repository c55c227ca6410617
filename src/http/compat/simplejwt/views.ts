import type { Core } from '../../../core/core.js';
import type { TokenPair } from '../../../core/sessions.js';
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

/** The pair's access token again, with the seed's profile claims and the same lifetime (never past its session). */
export async function accessWithClaims(core: Core, user: User, pair: TokenPair): Promise<string> {
  const signed = await core.accessTokens.withClaims(pair.access_token, profileClaims(user, core.config.publicUrl));
  return signed.token;
}

export const tokenPairSchema = {
  type: 'object',
  properties: { refresh: { type: 'string' }, access: { type: 'string' } },
} as const;

export const responseSchema = { type: 'object', properties: { response: { type: 'string' } } } as const;
