import { commonPasswords } from './common-passwords.js';
import type { PasswordValidator } from './password-validator.js';
import { codePointLength, isDigits, strip } from './python-text.js';

function characters(count: number): string {
  return count === 1 ? `${count} character` : `${count} characters`;
}

/** Django's MinimumLengthValidator. */
export function minimumLengthValidator(minLength: number): PasswordValidator {
  return {
    code: 'password_too_short',
    helpText: `Your password must contain at least ${characters(minLength)}.`,
    validate: (password) =>
      codePointLength(password) < minLength
        ? `This password is too short. It must contain at least ${characters(minLength)}.`
        : undefined,
  };
}

/** Not in Django: bounds the work every later check and the hash do. */
export function maximumLengthValidator(maxLength: number): PasswordValidator {
  return {
    code: 'password_too_long',
    helpText: `Your password can contain at most ${characters(maxLength)}.`,
    validate: (password) =>
      // Each code point is one or two UTF-16 units, so only a borderline string needs counting.
      password.length > maxLength && (password.length > 2 * maxLength || codePointLength(password) > maxLength)
        ? `This password is too long. It may contain at most ${characters(maxLength)}.`
        : undefined,
  };
}

/** Django's CommonPasswordValidator, over Django's own list. */
export const commonPasswordValidator: PasswordValidator = {
  code: 'password_too_common',
  helpText: 'Your password can’t be a commonly used password.',
  validate: (password) => (commonPasswords().has(strip(password.toLowerCase())) ? 'This password is too common.' : undefined),
};

/** Django's NumericPasswordValidator. */
export const numericPasswordValidator: PasswordValidator = {
  code: 'password_entirely_numeric',
  helpText: 'Your password can’t be entirely numeric.',
  validate: (password) => (isDigits(password) ? 'This password is entirely numeric.' : undefined),
};
