import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, fieldError, problemExtensions } from '../errors.js';
import type { SecondFactor } from '../login/second-factors.js';
import { loginBudgetKey } from '../login.js';
import { enforceRateLimit } from '../rate-limit.js';
import { amrOf } from '../sessions.js';
import type { User } from '../users/user.js';
import { sessionSignIn } from '../../store/sessions-repo.js';
import { normalizeRecoveryCode, useRecoveryCode } from './recovery-codes.js';
import { normalizeTotpCode, verifyTotpCode } from './totp.js';

/**
 * Step-up, the one rule for sensitive changes (password, email or username, deleting the account,
 * minting an API token, adding or removing a passkey): an account without a second factor needs
 * only its password, as ever; an account with one also needs a fresh second factor — its session
 * signed in with one (amr otp, hwk, swk or mfa) within `mfa_step_up_window` seconds, or a `code` in
 * the request (the app's current code or an unused recovery code). The callers check the password first.
 */
export type StepUpCtx = Parameters<typeof enforceRateLimit>[0] & Pick<Core, 'db' | 'clock' | 'settings' | 'secretKey' | 'secondFactors' | 'mailer' | 'users' | 'log'>;

/** What the request offers as its second factor. */
export interface StepUpProof {
  /** The requesting session (absent for an API token: it never signed in with anything). */
  sessionId?: string | undefined;
  /** The body's `code`, as sent (undefined when absent). */
  code?: unknown;
  /** A compatibility profile's route: its seed client can send no code, so the refusal says to use another app. */
  singleStep?: true;
}

/** RFC 8176 methods that are a second factor: a one-time code, a passkey (hardware or synced key), or "multiple factors". */
const secondFactorMethods = new Set(['otp', 'hwk', 'swk', 'mfa']);

/** The factors a `code` in the body may be. */
const typedFactors: readonly SecondFactor[] = ['totp', 'recovery_code'];

export const stepUpMessage = 'This change needs a fresh second factor: send `code` (a current code from your authenticator app, or an unused recovery code), or sign in again with your second factor and then make the change.';
export const stepUpPasskeyMessage = 'This change needs a fresh second factor: sign in again with your passkey, then make the change.';
export const stepUpProfileMessage = 'This account uses multi-factor authentication, which this app cannot ask for. Make this change through an app that supports multi-factor authentication.';

/** Whether the session signed in with a second factor no longer ago than the window. */
async function freshSession(ctx: StepUpCtx, userId: number, sessionId: string | undefined): Promise<boolean> {
  if (!sessionId) return false;
  const signIn = await sessionSignIn(ctx.db, sessionId, userId);
  if (!signIn) return false;
  const withFactor = (amrOf(signIn.amr) ?? []).some((m) => secondFactorMethods.has(m));
  return withFactor && ctx.clock.now() - signIn.createdAt <= ctx.settings.get('mfa_step_up_window') * 1000;
}

/**
 * A typed code as a step-up's factor, of the kinds in `factors`: the app's code (its step spent, so a
 * replay fails) or a recovery code (used once). Spends the account's login budget as a password
 * confirmation does, so a stolen session cannot walk the million codes; a wrong code is audited and
 * answered on `code`. Also the code removing the app or regenerating recovery codes needs (totp-enrolment.ts).
 */
export async function requireCode(ctx: StepUpCtx, userId: number, code: unknown, factors: readonly SecondFactor[], meta: RequestMeta): Promise<void> {
  await enforceRateLimit(ctx, 'login_account', loginBudgetKey('', userId));
  const asTotp = factors.includes('totp') && normalizeTotpCode(code) !== undefined;
  const asRecovery = !asTotp && factors.includes('recovery_code') && normalizeRecoveryCode(code) !== undefined;
  if (asTotp && (await verifyTotpCode(ctx, userId, code))) return;
  if (asRecovery && (await useRecoveryCode(ctx, userId, code, meta))) return;
  await recordAudit(ctx.db, { kind: 'mfa.verify_failed', at: ctx.clock.now(), userId, ip: meta.ip, userAgent: meta.userAgent, detail: { factor: asRecovery ? 'recovery_code' : 'totp', step_up: true } });
  throw fieldError({ code: [typeof code === 'string' && code.trim() ? 'Wrong code.' : 'This field is required.'] }, 'The code is invalid');
}

/** Passes when `user` may make a sensitive change with `proof`; otherwise throws step_up_required (or the wrong-code error). */
export async function requireStepUp(ctx: StepUpCtx, user: User, proof: StepUpProof, meta: RequestMeta): Promise<void> {
  const enrolled = await ctx.secondFactors.enrolled(ctx.db, user);
  if (enrolled.length === 0) return;
  const bodyFactors = proof.singleStep ? [] : typedFactors.filter((f) => enrolled.includes(f));
  if (proof.code !== undefined && !proof.singleStep) {
    if (bodyFactors.length === 0) throw fieldError({ code: ['This account has no authenticator app or recovery codes; sign in again with your passkey instead.'] });
    return requireCode(ctx, user.id, proof.code, bodyFactors, meta);
  }
  if (await freshSession(ctx, user.id, proof.sessionId)) return;
  const message = proof.singleStep ? stepUpProfileMessage : bodyFactors.length ? stepUpMessage : stepUpPasskeyMessage;
  throw new AuthError('step_up_required', message, undefined, { [problemExtensions]: { factors: bodyFactors } });
}
