import { FieldErrorBag } from '../errors.js';
import { hasControlChars, hasLoneSurrogate, isEmail, isLoginName } from './normalize.js';

/** Profile fields any account may hold, as accepted on the wire. */
export interface ProfileInput {
  username?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone_number?: string;
  date_of_birth?: string | null;
  gender?: string;
  bio?: string;
}

const limits: Record<keyof ProfileInput, number> = {
  username: 150,
  email: 254,
  first_name: 150,
  last_name: 150,
  phone_number: 32,
  date_of_birth: 10,
  gender: 32,
  bio: 2000,
};

export const profileFields = Object.keys(limits) as (keyof ProfileInput)[];

function validDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Checks the shape of profile fields (lengths, formats, control characters). Uniqueness
 * is the caller's business. `usernameIsLogin` applies Django's login-name character rules.
 */
export function checkProfile(input: ProfileInput, usernameIsLogin: boolean, errors = new FieldErrorBag()): FieldErrorBag {
  for (const field of profileFields) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      errors.add(field, 'Not a valid string.');
      continue;
    }
    if (value.length > limits[field]) errors.add(field, `Ensure this field has no more than ${limits[field]} characters.`);
    else if (hasControlChars(value)) errors.add(field, 'Control characters are not allowed.');
    // A lone surrogate would be stored as U+FFFD: refuse it rather than change what was sent.
    else if (hasLoneSurrogate(value)) errors.add(field, 'Invalid Unicode: the text contains an unpaired surrogate.');
  }
  if (input.email !== undefined && input.email !== '' && !errors.fields.email && !isEmail(input.email.trim())) {
    errors.add('email', 'Enter a valid email address.');
  }
  if (usernameIsLogin && input.username !== undefined && input.username !== '' && !errors.fields.username && !isLoginName(input.username)) {
    errors.add('username', 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.');
  }
  if (input.date_of_birth && !errors.fields.date_of_birth && !validDate(input.date_of_birth)) {
    errors.add('date_of_birth', 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.');
  }
  if (input.phone_number && !errors.fields.phone_number && !/^\+?[0-9 ().-]{3,32}$/.test(input.phone_number)) {
    errors.add('phone_number', 'Enter a valid phone number.');
  }
  return errors;
}
