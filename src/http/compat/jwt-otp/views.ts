import { checkAvatarImage } from '../../../core/avatar.js';
import type { Core } from '../../../core/core.js';
import { fieldError } from '../../../core/errors.js';
import type { ProfileInput } from '../../../core/users/profile.js';
import type { User } from '../../../core/users/user.js';
import { avatarUrl, text } from '../views.js';

/** Seed 002's camelCase field names for the core's profile fields. */
export const seedFieldNames: Record<string, string> = { phone_number: 'phoneNumber', date_of_birth: 'dateBirth', avatar: 'image' };

/** The profile fields of seed 002's user serializer, as sent. */
export interface SeedProfileInput {
  email?: string;
  username?: string;
  phoneNumber?: string;
  dateBirth?: string | null;
  gender?: string;
  image?: unknown;
}

export const profileProperties = {
  email: text(254),
  username: text(150),
  phoneNumber: text(32),
  dateBirth: { type: ['string', 'null'], maxLength: 10, description: 'YYYY-MM-DD' },
  gender: text(32),
  image: { description: 'An image file (multipart/form-data); null removes it' },
} as const;

/** The seed's fields as the core's profile input; absent fields stay absent (partial updates). */
export function profileInput(input: SeedProfileInput): ProfileInput {
  const out: ProfileInput = {};
  if (input.email !== undefined) out.email = input.email;
  if (input.username !== undefined) out.username = input.username;
  if (input.phoneNumber !== undefined) out.phone_number = input.phoneNumber;
  if (input.dateBirth !== undefined) out.date_of_birth = input.dateBirth || null;
  if (input.gender !== undefined) out.gender = input.gender;
  return out;
}

/**
 * The `image` field: a file to store, null to remove the avatar, undefined to leave it. Core's
 * image checks run before anything is written (their `avatar` errors answer as `image`), so a bad
 * file costs no password hash; the profile only knows what a file on the wire is.
 */
export function imageInput(core: Pick<Core, 'config'>, value: unknown): Buffer | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === null) return null;
  if (!Buffer.isBuffer(value)) throw fieldError({ image: ['The submitted data was not a file. Check the encoding type on the form.'] });
  checkAvatarImage(core, value);
  return value;
}

/** An unset text field: the seed's nullable model fields answer null, not "". */
const orNull = (value: string | null): string | null => (value === '' ? null : value);

/** Seed 002's user: `is_activated` is "approved by an administrator and not disabled". */
export function userView(user: User, publicUrl: string) {
  return {
    email: user.email,
    username: orNull(user.username),
    phoneNumber: orNull(user.phone_number),
    image: avatarUrl(user, publicUrl),
    dateBirth: user.date_of_birth,
    gender: orNull(user.gender),
    is_activated: user.approved && user.is_active,
  };
}

export const userSchema = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    username: { type: ['string', 'null'] },
    phoneNumber: { type: ['string', 'null'] },
    image: { type: ['string', 'null'] },
    dateBirth: { type: ['string', 'null'] },
    gender: { type: ['string', 'null'] },
    is_activated: { type: 'boolean' },
  },
} as const;

export const loginSchema = {
  type: 'object',
  properties: {
    detail: { type: 'string' },
    data: { type: 'object', properties: { email: { type: 'string' }, is_activated: { type: 'boolean' } } },
    token: { type: 'object', properties: { access: { type: 'string' }, refresh: { type: 'string' } } },
  },
} as const;

export const detailMessageSchema = { type: 'object', properties: { detail: { type: 'string' }, message: { type: 'string' } } } as const;
