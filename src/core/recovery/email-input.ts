import { fieldError } from '../errors.js';
import { hasControlChars, isEmail, normalizeEmail } from '../users/normalize.js';

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A required email address from untrusted input, normalised; a field error otherwise. */
export function requireEmail(value: unknown, field = 'email'): string {
  const email = typeof value === 'string' ? normalizeEmail(value) : '';
  if (!email) throw fieldError({ [field]: ['This field is required.'] });
  // NUL, other controls and broken UTF-16 never reach a query (PostgreSQL refuses NUL in text).
  if (!isEmail(email) || hasControlChars(email) || loneSurrogate.test(email)) throw fieldError({ [field]: ['Enter a valid email address.'] });
  return email;
}

/** A required non-empty string field. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw fieldError({ [field]: ['This field is required.'] });
  return value.trim();
}
