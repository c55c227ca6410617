import type { Core } from '../../core/core.js';
import type { SecondFactor } from '../../core/login/second-factors.js';
import { mfaTokenChallenge } from '../../core/mfa/mfa-token.js';

/** The factors a live mfa_token still accepts; undefined when it is unknown, expired, used or exhausted. */
export async function liveFactors(core: Core, mfaToken: string): Promise<readonly SecondFactor[] | undefined> {
  return (await mfaTokenChallenge(core, mfaToken))?.factors;
}
