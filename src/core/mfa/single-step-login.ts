import { recordAudit, type RequestMeta } from '../audit.js';
import { AuthError } from '../errors.js';
import { authenticateLogin, loginRefusal, type LoginCtx, type LoginInput, type LoginOptions } from '../login.js';
import { establishSession } from '../login/establish-session.js';
import type { SettingKey } from '../settings.js';
import { completePasswordLogin, type PasswordLoginCtx, type PasswordLoginResult } from './password-login.js';

/**
 * The compatibility profiles: their seed clients send a password and nothing more. Each has a
 * runtime setting that lets accounts with a second factor in on their password alone (off by default).
 */
export const singleStepProfiles = {
  'drf-token': 'profile_drf_token_allow_password_only_mfa',
  simplejwt: 'profile_simplejwt_allow_password_only_mfa',
  'jwt-otp': 'profile_jwt_otp_allow_password_only_mfa',
  'drf-authtoken': 'profile_drf_authtoken_allow_password_only_mfa',
  'jwt-uuid-refresh': 'profile_jwt_uuid_refresh_allow_password_only_mfa',
} as const satisfies Record<string, SettingKey>;

export type SingleStepProfile = keyof typeof singleStepProfiles;

/** What a profile's login tells an account with a second factor. */
export const secondFactorRefusalMessage = 'This account uses multi-factor authentication, which this app cannot ask for. Sign in through an app that supports multi-factor authentication, or use an API token.';

/**
 * A password login through a profile. An account with a second factor is refused
 * (`second_factor_required`, audited) unless the profile's setting lets it in on its password alone,
 * audited with amr ['pwd']; an account without one meets the "require MFA" settings as any password login.
 */
export async function singleStepLogin(ctx: LoginCtx & PasswordLoginCtx, profile: SingleStepProfile, input: LoginInput, options: LoginOptions, meta: RequestMeta): Promise<PasswordLoginResult> {
  const verdict = await authenticateLogin(ctx, input, options, meta);
  if (verdict.kind === 'failure') throw loginRefusal(verdict.reason);
  if (verdict.kind === 'success') return completePasswordLogin(ctx, verdict, options, meta);
  const { user, device, factors } = verdict;
  if (ctx.settings.get(singleStepProfiles[profile])) {
    return establishSession(ctx, { kind: 'success', user, ...(device ? { device } : {}) }, { ...options, auditDetail: { amr: ['pwd'], password_only_mfa: profile } }, meta);
  }
  await recordAudit(ctx.db, { kind: 'mfa.password_only_refused', at: ctx.clock.now(), userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { profile, factors } });
  throw new AuthError('second_factor_required', secondFactorRefusalMessage, undefined, { factors });
}
