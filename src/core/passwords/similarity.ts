import type { PasswordValidator, UserAttributes } from './password-validator.js';
import { codePointLength, splitOnNonWord } from './python-text.js';
import { quickRatio } from './sequence-matcher.js';

export type UserAttributeName = keyof UserAttributes;

/** The verbose names of Django's User fields, which its message uses. */
const verboseNames: Record<UserAttributeName, string> = {
  username: 'username',
  first_name: 'first name',
  last_name: 'last name',
  email: 'email address',
};

export const defaultUserAttributes: readonly UserAttributeName[] = ['username', 'first_name', 'last_name', 'email'];

/** Django's guard: quick_ratio cannot reach maxSimilarity for a value this short beside the password. */
export function exceedsMaximumLengthRatio(passwordLength: number, maxSimilarity: number, valueLength: number): boolean {
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength;
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity;
}

export interface SimilarityOptions {
  attributes?: readonly UserAttributeName[];
  maxSimilarity?: number;
}

/** Django's UserAttributeSimilarityValidator: each attribute, whole and split on \W+, lower-cased. */
export function userAttributeSimilarityValidator(options: SimilarityOptions = {}): PasswordValidator {
  const attributes = options.attributes ?? defaultUserAttributes;
  const maxSimilarity = options.maxSimilarity ?? 0.7;
  if (maxSimilarity < 0.1) throw new RangeError('max_similarity must be at least 0.1');
  return {
    code: 'password_too_similar',
    helpText: 'Your password can’t be too similar to your other personal information.',
    validate(password, user) {
      const lowered = password.toLowerCase();
      const passwordLength = codePointLength(lowered);
      for (const name of attributes) {
        const value = user[name];
        if (typeof value !== 'string' || value === '') continue;
        const valueLower = value.toLowerCase();
        for (const part of [...splitOnNonWord(valueLower), valueLower]) {
          if (exceedsMaximumLengthRatio(passwordLength, maxSimilarity, codePointLength(part))) continue;
          if (quickRatio(lowered, part) >= maxSimilarity) return `The password is too similar to the ${verboseNames[name]}.`;
        }
      }
      return undefined;
    },
  };
}
