import type { User } from '../../core/users/user.js';

/**
 * A time as DRF's DateTimeField writes it: ISO 8601 in UTC with microseconds and `Z`
 * (`2024-11-18T11:59:14.730000Z`), the fraction left out when it is zero, as Python does.
 */
export function drfDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, 'Z') : iso.replace(/Z$/, '000Z');
}

/** The avatar's public URL (an ImageField's absolute URL in DRF), or null without one. */
export function avatarUrl(user: Pick<User, 'id' | 'avatar_etag'>, publicUrl: string): string | null {
  return user.avatar_etag ? `${publicUrl}/v1/users/${user.id}/avatar` : null;
}

/** `{id, username, email}`: the UserSerializer most of the seeds share. */
export function idUsernameEmail(user: User) {
  return { id: user.id, username: user.username, email: user.email };
}

export const idUsernameEmailSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: 'string' }, email: { type: 'string' } },
} as const;

/** A string field as DRF's CharField takes it from JSON, form or multipart bodies. */
export const text = (maxLength = 1024) => ({ type: 'string', maxLength }) as const;

/** A required CharField: DRF refuses the empty string ("This field may not be blank."). */
export const nonBlank = (maxLength = 1024) => ({ type: 'string', minLength: 1, maxLength }) as const;

/** A body object: listed fields, unknown ones dropped (DRF ignores them). */
export function fields(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false } as const;
}
