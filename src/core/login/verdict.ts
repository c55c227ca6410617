import type { LoginBlock } from '../activation.js';
import type { DeviceToken } from '../device-tokens.js';
import type { User } from '../users/user.js';
import type { SecondFactor } from './second-factors.js';

/** Why a login was refused; the audit says it, the wire never tells the first four apart. */
export type LoginFailureReason = 'unknown_account' | 'password_too_long' | 'locked' | 'wrong_password' | LoginBlock;

/** Every login failure reason, for renderers and tests that must map each one. */
export const loginFailureReasons = [
  'unknown_account',
  'password_too_long',
  'locked',
  'wrong_password',
  'account_inactive',
  'account_not_approved',
  'email_not_verified',
] as const satisfies readonly LoginFailureReason[];

/** The account is identified and its factors are enough: establishSession may open a session. */
export interface LoginSuccess {
  kind: 'success';
  user: User;
  /** The client's live device token for this account, when it presented one. */
  device?: DeviceToken;
  /** A hash in an older format, upgraded with the password just checked (saved with the login). */
  newPasswordHash?: string;
  /** How the user authenticated (RFC 8176: pwd, otp, hwk, swk, mfa …), stored with the session for its access tokens; ['pwd'] when absent. */
  amr?: readonly string[];
}

export interface LoginFailure {
  kind: 'failure';
  reason: LoginFailureReason;
}

/** The password is right but the account has further factors: no session until one of them is presented. */
export interface FactorRequired {
  kind: 'factor_required';
  user: User;
  factors: readonly SecondFactor[];
  device?: DeviceToken;
}

export type LoginVerdict = LoginSuccess | LoginFailure | FactorRequired;
