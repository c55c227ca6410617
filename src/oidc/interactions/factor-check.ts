import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestMeta } from '../../core/audit.js';
import type { Core } from '../../core/core.js';
import { AuthError } from '../../core/errors.js';
import type { SecondFactor } from '../../core/login/second-factors.js';
import type { LoginSuccess } from '../../core/login/verdict.js';
import { redeemWithCode, type TypedFactor } from '../../core/mfa/code-second-factor.js';
import { mfaTokenChallenge } from '../../core/mfa/mfa-token.js';
import { passkeySecondFactorStep, redeemWithPasskey } from '../../core/mfa/passkey-second-factor.js';

export type { TypedFactor };

/** The factors a live mfa_token still accepts; undefined when it is unknown, expired, used or exhausted. */
export async function liveFactors(core: Core, mfaToken: string): Promise<readonly SecondFactor[] | undefined> {
  return (await mfaTokenChallenge(core, mfaToken))?.factors;
}

/** Redeems the mfa_token with a typed code (core/mfa/code-second-factor.ts). */
export function redeemTypedCode(core: Core, mfaToken: string, factor: TypedFactor, code: string, meta: RequestMeta): Promise<LoginSuccess> {
  return redeemWithCode(core, mfaToken, factor, code, meta);
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

/** Redeems the mfa_token with a passkey assertion over a challenge bound to it. */
export function redeemPasskey(core: Core, mfaToken: string, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<LoginSuccess> {
  return redeemWithPasskey(core, mfaToken, response, meta);
}
