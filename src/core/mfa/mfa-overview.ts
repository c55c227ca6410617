import type { Core } from '../core.js';
import { listPasskeys } from './passkey-manage.js';
import type { PasskeyView } from './passkey-views.js';
import { totpFactorsOf } from './totp-factors.js';

/** The account's second factors as its owner sees them (GET /v1/me/mfa): no secret, no code. */
export interface MfaOverview {
  /** A confirmed authenticator app (a pending, unconfirmed one is not a factor yet). */
  totp: boolean;
  passkeys: PasskeyView[];
  recovery_codes_left: number;
}

export async function mfaOverview(ctx: Pick<Core, 'db'>, userId: number): Promise<MfaOverview> {
  const [totp, passkeys] = await Promise.all([totpFactorsOf(ctx.db, userId), listPasskeys(ctx, userId)]);
  return { totp: totp.enrolledAt !== null, passkeys, recovery_codes_left: totp.recoveryCodesLeft };
}
