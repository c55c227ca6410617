import type { Db } from '../context.js';
import type { SecondFactor } from '../login/second-factors.js';
import { userHasPasskey } from '../../store/passkeys-repo.js';

/** The passkey factor source (factor-sources.ts): 'passkey' once the account has registered one. */
export const passkeyFactorSource = {
  async enrolled(db: Db, userId: number): Promise<readonly SecondFactor[]> {
    return (await userHasPasskey(db, userId)) ? ['passkey'] : [];
  },
};
