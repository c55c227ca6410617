import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestMeta } from '../../core/audit.js';
import type { Core } from '../../core/core.js';
import { AuthError } from '../../core/errors.js';
import type { SecondFactor } from '../../core/login/second-factors.js';
import { mfaTokenChallenge } from '../../core/mfa/mfa-token.js';
import { passkeySecondFactorStep } from '../../core/mfa/passkey-second-factor.js';

/** The factors a live mfa_token still accepts; undefined when it is unknown, expired, used or exhausted. */
export async function liveFactors(core: Core, mfaToken: string): Promise<readonly SecondFactor[] | undefined> {
  return (await mfaTokenChallenge(core, mfaToken))?.factors;
}

/**
 * WebAuthn request options for the passkey second factor (core/mfa/passkey-second-factor.ts);
 * undefined when the token is not live or offers no passkey, so the page shows the codes only.
 */
export async function passkeyStepOptions(core: Core, mfaToken: string, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  try {
    return await passkeySecondFactorStep(core, mfaToken, meta);
  } catch (err) {
    if (err instanceof AuthError && err.code === 'mfa_token_invalid') return undefined;
    throw err;
  }
}
