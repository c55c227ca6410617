import type { Core } from './core.js';
import { hasLoneSurrogate } from './users/normalize.js';
import { validatePassword, type PolicyOptions, type UserAttributes } from './passwords/index.js';

/** The password policy in force now (runtime settings + config). */
export function currentPolicy(core: Core): PolicyOptions {
  return {
    minLength: core.settings.get('password_min_length'),
    maxLength: core.config.passwordMaxLength,
    checkCommon: core.settings.get('password_check_common'),
    checkNumeric: core.settings.get('password_check_numeric'),
    checkSimilarity: core.settings.get('password_check_similarity'),
  };
}

/** Messages for a password against the policy in force; [] when it is acceptable. */
export function passwordProblems(core: Core, password: string, user: UserAttributes): string[] {
  // Hashing encodes UTF-8, where every lone surrogate becomes U+FFFD: two different passwords would hash alike.
  if (hasLoneSurrogate(password)) return ['The password contains an unpaired surrogate (invalid Unicode).'];
  return validatePassword(password, user, currentPolicy(core));
}
