import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestMeta } from '../audit.js';
import { AuthError } from '../errors.js';
import type { LoginSuccess } from '../login/verdict.js';
import { enforceRateLimit } from '../rate-limit.js';
import { tokenDigest } from '../secrets.js';
import { listUserPasskeys } from '../../store/passkeys-repo.js';
import { mfaTokenChallenge, redeemMfaToken, type MfaTokenCtx } from './mfa-token.js';
import { auditRefusal, checkAssertion, passkeyAmr, passkeySecondFactorOptions, type PasskeyAuthCtx } from './passkey-authentication.js';

/** A passkey as the second factor of a password login: the mfa_token step (mfa-token.ts) and the passkey ceremony (passkey-authentication.ts). */
export type PasskeySecondFactorCtx = MfaTokenCtx & PasskeyAuthCtx;

/**
 * WebAuthn request options for the second step of the login `mfaToken` opened: only that account's
 * passkeys, the challenge bound to the token (by its digest) and the purpose `second_factor`. Each
 * call stores a challenge, so it spends the per-IP login budget, as passwordless options do. A token
 * that is unknown, expired, used or exhausted, or that offers no passkey (none registered, or all
 * removed since the password step): `mfa_token_invalid`, one answer whatever the reason.
 */
export async function passkeySecondFactorStep(ctx: PasskeySecondFactorCtx, mfaToken: string, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await enforceRateLimit(ctx, 'login_ip', meta.ip);
  const live = await mfaTokenChallenge(ctx, mfaToken);
  if (!live?.factors.includes('passkey')) throw new AuthError('mfa_token_invalid');
  const passkeys = await listUserPasskeys(ctx.db, live.userId);
  if (!passkeys.length) throw new AuthError('mfa_token_invalid');
  return passkeySecondFactorOptions(ctx, { userId: live.userId, mfaTokenHash: tokenDigest(mfaToken) }, passkeys);
}

/**
 * passkeySecondFactorStep for a page that offers codes too: undefined instead of
 * `mfa_token_invalid` when the token is not live or offers no passkey (none registered, or all
 * removed since the password step), so the page shows the codes alone.
 */
export async function passkeyStepIfOffered(ctx: PasskeySecondFactorCtx, mfaToken: string, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  try {
    return await passkeySecondFactorStep(ctx, mfaToken, meta);
  } catch (err) {
    if (err instanceof AuthError && err.code === 'mfa_token_invalid') return undefined;
    throw err;
  }
}

/**
 * Redeems `mfaToken` with a passkey assertion: its challenge must be a `second_factor` one bound to
 * this token, the passkey the token's account's (checkAssertion takes the challenge once, checks
 * signature, counter and flags). A refused assertion is audited with why and is a wrong factor for
 * redeemMfaToken (an attempt spent, counted toward the lock, `invalid_mfa_code`); a right one ends
 * the token with the passkey's `amr`. Returns the LoginSuccess for establishSession.
 */
export function redeemWithPasskey(ctx: PasskeySecondFactorCtx, mfaToken: string, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<LoginSuccess> {
  return redeemMfaToken(ctx, mfaToken, 'passkey', async (userId) => {
    const checked = await checkAssertion(ctx, response, 'second_factor', meta, { userId, mfaTokenHash: tokenDigest(mfaToken), requireUserVerification: false });
    if ('refused' in checked) {
      // A refusal before the passkey is known (the challenge) still belongs to this login's account.
      await auditRefusal(ctx, { ...checked, userId: checked.userId ?? userId }, 'second_factor', meta);
      return false;
    }
    return { amr: passkeyAmr(checked) };
  }, meta);
}
