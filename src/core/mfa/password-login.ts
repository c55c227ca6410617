import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, problemExtensions } from '../errors.js';
import { establishSession, type EstablishSessionCtx, type LoginResult, type SessionOptions } from '../login/establish-session.js';
import type { LoginSuccess } from '../login/verdict.js';
import { enrolmentStanding } from './enrolment-requirement.js';
import { openEnrolmentSession } from './enrolment-session.js';

export interface RequirementOptions {
  /** 'session': an account past its grace gets an enrolment-only session (the native API); else it is refused. */
  enrolment?: 'session';
}

export interface PasswordLoginResult extends LoginResult {
  /** The account must enrol a second factor by then (ms); it logs in with its password alone until then. */
  mfaEnrolmentRequiredBy?: number;
}

export type PasswordLoginCtx = EstablishSessionCtx & Pick<Core, 'settings'>;

/**
 * A login the password alone let in, for an account with no second factor: the "require MFA"
 * settings decide. Not required, or within the grace: a session (with the deadline, in the grace).
 * Past the grace: an enrolment-only session where the caller can enrol a factor, else a refusal.
 */
export async function completePasswordLogin(ctx: PasswordLoginCtx, verdict: LoginSuccess, options: SessionOptions & RequirementOptions, meta: RequestMeta): Promise<PasswordLoginResult> {
  const standing = await enrolmentStanding(ctx, verdict.user);
  if (standing.kind === 'not_required') return establishSession(ctx, verdict, options, meta);
  if (standing.kind === 'grace') {
    const result = await establishSession(ctx, verdict, { ...options, auditDetail: { ...options.auditDetail, mfa_enrolment_required_by: standing.requiredBy } }, meta);
    return { ...result, mfaEnrolmentRequiredBy: standing.requiredBy };
  }
  const requiredBy = new Date(standing.requiredBy).toISOString();
  if (options.enrolment === 'session') {
    const credential = await openEnrolmentSession(ctx, verdict, meta);
    throw new AuthError('mfa_enrolment_required', `This account must enrol a second factor (required since ${requiredBy}). Use enrolment_token as a Bearer token to add an authenticator app or a passkey, then log in again.`, undefined, {
      [problemExtensions]: { enrolment_token: credential.enrolmentToken, expires_in: credential.expiresIn, mfa_enrolment_required_by: requiredBy },
    });
  }
  await recordAudit(ctx.db, { kind: 'mfa.enrolment_required', at: ctx.clock.now(), userId: verdict.user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { required_by: standing.requiredBy } });
  throw new AuthError('mfa_enrolment_required', `This account must enrol a second factor (required since ${requiredBy}). Sign in through an app that supports multi-factor authentication to enrol one.`);
}
