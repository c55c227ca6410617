import { fieldError } from '../errors.js';
import { isEmail, normalizeEmail } from '../users/normalize.js';

/** A required email address from untrusted input, normalised; a field error otherwise. */
export function requireEmail(value: unknown, field = 'email'): string {
  const email = typeof value === 'string' ? normalizeEmail(value) : '';
  if (!email) throw fieldError({ [field]: ['This field is required.'] });
  // The one email rule: ASCII only, so NUL, controls and broken UTF-16 never reach a query either.
  if (!isEmail(email)) throw fieldError({ [field]: ['Enter a valid email address.'] });
  return email;
}

/** A required non-empty string field. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw fieldError({ [field]: ['This field is required.'] });
  return value.trim();
}
