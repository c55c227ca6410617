import type { PasswordValidator, UserAttributes } from './password-validator.js';
import { userAttributeSimilarityValidator } from './similarity.js';
import {
  commonPasswordValidator,
  maximumLengthValidator,
  minimumLengthValidator,
  numericPasswordValidator,
} from './validators.js';

export interface PolicyOptions {
  minLength: number;
  maxLength: number;
  checkCommon: boolean;
  checkNumeric: boolean;
  checkSimilarity: boolean;
}

/** Django's default AUTH_PASSWORD_VALIDATORS, plus a ceiling on length. */
export const defaultPolicy: PolicyOptions = Object.freeze({
  minLength: 8,
  maxLength: 1024,
  checkCommon: true,
  checkNumeric: true,
  checkSimilarity: true,
});

const similarityValidator = userAttributeSimilarityValidator();

/** The Django validators a policy turns on, in the order of Django's default AUTH_PASSWORD_VALIDATORS. */
export function djangoValidators(policy: PolicyOptions): PasswordValidator[] {
  return [
    ...(policy.checkSimilarity ? [similarityValidator] : []),
    minimumLengthValidator(policy.minLength),
    ...(policy.checkCommon ? [commonPasswordValidator] : []),
    ...(policy.checkNumeric ? [numericPasswordValidator] : []),
  ];
}

/** Every message the password earns under the policy; [] when it is acceptable. */
export function validatePassword(password: string, user: UserAttributes, policy: PolicyOptions): string[] {
  const tooLong = maximumLengthValidator(policy.maxLength).validate(password, user);
  // Nothing else looks at an oversized password.
  if (tooLong !== undefined) return [tooLong];
  return djangoValidators(policy).flatMap((validator) => validator.validate(password, user) ?? []);
}

/** Django's help texts for the policy, e.g. for a sign-up form. */
export function passwordHelpTexts(policy: PolicyOptions): string[] {
  return [...djangoValidators(policy), maximumLengthValidator(policy.maxLength)].map((validator) => validator.helpText);
}
