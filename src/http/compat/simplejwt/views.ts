import type { Core } from '../../../core/core.js';
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

/** The session's access token, carrying the seed's profile claims. */
export async function accessWithClaims(core: Core, user: User, sessionId: string): Promise<string> {
  const signed = await core.accessTokens.sign(user.id, sessionId, core.settings.get('access_token_ttl'), profileClaims(user, core.config.publicUrl));
  return signed.token;
}

export const tokenPairSchema = {
  type: 'object',
  properties: { refresh: { type: 'string' }, access: { type: 'string' } },
} as const;

export const responseSchema = { type: 'object', properties: { response: { type: 'string' } } } as const;
