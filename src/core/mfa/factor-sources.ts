import type { Db } from '../context.js';
import type { SecondFactor, SecondFactors } from '../login/second-factors.js';
import type { User } from '../users/user.js';
import { passkeyFactorSource } from './passkey-factor.js';
import { totpFactorSource } from './totp-factor.js';

/** One kind of factor store (TOTP with its recovery codes, passkeys): which of its factors an account has. */
export interface FactorSource {
  enrolled(db: Db, userId: number): Promise<readonly SecondFactor[]>;
}

/** Every factor an account has enrolled, asked of each source in turn (the login pipeline asks this once the password is right). */
export function secondFactorsFrom(sources: readonly FactorSource[]): SecondFactors {
  return {
    async enrolled(db: Db, user: User): Promise<readonly SecondFactor[]> {
      const found: SecondFactor[] = [];
      for (const source of sources) found.push(...(await source.enrolled(db, user.id)));
      return found;
    },
  };
}

/**
 * The factor sources every Core asks, in the order their factors are offered. The multi-factor
 * work adds its sources here (one line each); an empty list means password-only logins.
 */
export const factorSources: readonly FactorSource[] = [totpFactorSource, passkeyFactorSource];
