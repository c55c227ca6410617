import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { establishSession } from '../login/establish-session.js';
import type { SecondFactor } from '../login/second-factors.js';
import { redeemWithCode, type TypedFactor } from '../mfa/code-second-factor.js';
import { mfaTokenChallenge } from '../mfa/mfa-token.js';
import { passkeyStepIfOffered, redeemWithPasskey } from '../mfa/passkey-second-factor.js';
import { normalizeTotpCode } from '../mfa/totp.js';
import { assertConsoleStaff, openConsoleSignIn, type ConsoleSession } from './console-sessions.js';

/** The second factor a staff member presents at the console's second step. */
export type ConsoleFactor =
  /** What was typed: the authenticator app's digits, or else a recovery code. */
  | { kind: 'code'; code: string }
  | { kind: 'passkey'; response: AuthenticationResponseJSON };

export interface ConsoleFactorStep {
  factors: readonly SecondFactor[];
  /** Fresh WebAuthn request options bound to this mfa_token, when the account has passkeys. */
  passkeyOptions?: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * What the second-step page offers for a live mfa_token: its factors and, for passkeys, fresh
 * options bound to the token (passkeySecondFactorStep, which costs the per-IP login budget).
 * Undefined when the token is unknown, expired, used or exhausted.
 */
export async function consoleFactorStep(core: Core, mfaToken: string, meta: RequestMeta): Promise<ConsoleFactorStep | undefined> {
  const live = await mfaTokenChallenge(core, mfaToken);
  if (!live) return undefined;
  if (!live.factors.includes('passkey')) return { factors: live.factors };
  const passkeyOptions = await passkeyStepIfOffered(core, mfaToken, meta);
  // Without options every passkey was removed since the password step: the codes are left.
  return passkeyOptions ? { factors: live.factors, passkeyOptions } : { factors: live.factors.filter((f) => f !== 'passkey') };
}

/** The factor a typed code is for: six digits are the app's, anything else a recovery code (when the account has them). */
function codeFactor(code: string, factors: readonly SecondFactor[]): TypedFactor {
  return normalizeTotpCode(code) !== undefined || !factors.includes('recovery_code') ? 'totp' : 'recovery_code';
}

/**
 * The console's second step: redeems the mfa_token with the factor (a wrong one spends one of its
 * attempts and counts toward the account lock, see redeemMfaToken), records the login, and opens
 * the console session audited with the amr (pwd plus otp, or the passkey's methods).
 */
export async function finishConsoleSignIn(core: Core, mfaToken: string, factor: ConsoleFactor, meta: RequestMeta): Promise<{ token: string; session: ConsoleSession }> {
  const success = factor.kind === 'passkey' ? await redeemWithPasskey(core, mfaToken, factor.response, meta) : await redeemCode(core, mfaToken, factor.code, meta);
  // Staff rights are checked again: they may have been taken away since the password step.
  await assertConsoleStaff(core, success.user, meta);
  const amr = success.amr ?? ['pwd'];
  const { user } = await establishSession(core, success, { openSession: false, auditDetail: { amr, console: true } }, meta);
  return openConsoleSignIn(core, user, meta, amr);
}

async function redeemCode(core: Core, mfaToken: string, code: string, meta: RequestMeta) {
  const live = await mfaTokenChallenge(core, mfaToken);
  return redeemWithCode(core, mfaToken, codeFactor(code, live?.factors ?? []), code, meta);
}
