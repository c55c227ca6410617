import type { Db } from '../context.js';
import type { User } from '../users/user.js';

/** A factor an account can present after its password (the multi-factor issue fills these in). */
export type SecondFactor = 'totp' | 'recovery_code' | 'passkey';

/**
 * Where the login pipeline asks which further factors an account has. It is asked only once the
 * password is right, so failed logins keep one shape whatever an account has enrolled.
 */
export interface SecondFactors {
  enrolled(db: Db, user: User): Promise<readonly SecondFactor[]>;
}

/** No factor source yet: every account logs in with its password alone. */
export const noSecondFactors: SecondFactors = {
  enrolled: async () => [],
};
