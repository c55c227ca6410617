import type { Db } from '../context.js';
import type { SecondFactor } from '../login/second-factors.js';
import { hasConfirmedTotp } from '../../store/mfa-repo.js';

/** The TOTP factor source (factor-sources.ts): an account with a confirmed authenticator app offers it and its recovery codes (never recovery codes alone). */
export const totpFactorSource = {
  async enrolled(db: Db, userId: number): Promise<readonly SecondFactor[]> {
    return (await hasConfirmedTotp(db, userId)) ? ['totp', 'recovery_code'] : [];
  },
};
