import { loginBlock } from '../activation.js';
import { recordAudit, recordAudits, type AuditEvent, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import type { DeviceToken } from '../device-tokens.js';
import { AuthError, problemExtensions } from '../errors.js';
import { failLogin, type FailLoginCtx } from '../login/fail-login.js';
import type { LoginTransaction } from '../login/establish-session.js';
import type { SecondFactor } from '../login/second-factors.js';
import type { FactorRequired, LoginSuccess } from '../login/verdict.js';
import { randomToken, seal, tokenDigest, unseal } from '../secrets.js';
import { inTransaction } from '../transaction.js';
import type { Db } from '../context.js';
import { consumeMfaToken, countMfaTokenAttempt, findLiveMfaToken, insertMfaToken } from '../../store/mfa-repo.js';

/**
 * The step between a right password and the second factor: an mfa_token, random, stored only as
 * its digest, bound to the account and the device token of that login attempt. It lives
 * `mfa_token_ttl` seconds, takes `mfa_token_max_attempts` wrong factors, and is redeemed once.
 */
export type MfaTokenCtx = FailLoginCtx & Pick<Core, 'db' | 'clock' | 'settings' | 'secretKey' | 'users'>;

/** What a factor check may prove beyond "right": the RFC 8176 methods it stands for (a passkey says hwk or swk). */
export interface FactorProof {
  amr: readonly string[];
  /**
   * Spends a single-use factor in the transaction that consumes the token (a TOTP step): false when
   * it was spent meanwhile, which counts as a wrong factor; if the token is lost instead, it rolls back.
   */
  spend?: (trx: Db) => Promise<boolean>;
}

const devicePurpose = 'mfa-token-device';
const sep = ',';

/** The session's `amr` for a password plus `factor` (RFC 8176): `otp` for codes, a passkey `hwk` unless its check says more. */
export function secondFactorAmr(factor: SecondFactor, proof?: FactorProof): readonly string[] {
  const methods = proof?.amr.length ? proof.amr : factor === 'passkey' ? ['hwk'] : ['otp'];
  return [...new Set(['pwd', ...methods, 'mfa'])];
}

/** Opens the second-factor step of a login the password let in; audited. */
export async function issueMfaToken(ctx: MfaTokenCtx, verdict: FactorRequired, meta: RequestMeta): Promise<{ mfaToken: string; factors: readonly SecondFactor[]; expiresIn: number }> {
  const now = ctx.clock.now();
  const expiresIn = ctx.settings.get('mfa_token_ttl');
  const mfaToken = randomToken(32);
  const device = verdict.device;
  const row = {
    token_hash: tokenDigest(mfaToken),
    user_id: verdict.user.id,
    device_token_id: device?.id ?? null,
    device_token_enc: device ? seal(ctx.secretKey, devicePurpose, device.token) : null,
    factors: verdict.factors.join(sep),
    created_at: now,
    expires_at: now + expiresIn * 1000,
  };
  await inTransaction(ctx, async (trx) => {
    await insertMfaToken(trx, row);
    await recordAudit(trx, { kind: 'mfa.challenge_issued', at: now, userId: verdict.user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { factors: verdict.factors, ...(device ? { device_token: true } : {}) } });
  });
  return { mfaToken, factors: verdict.factors, expiresIn };
}

const shaped = (t: unknown): t is string => typeof t === 'string' && t.length > 0 && t.length <= 128;
const factorsOf = (stored: string) => stored.split(sep).filter(Boolean) as SecondFactor[];

/** A read-only look at a live mfa_token (the passkey options of the second step): undefined when unknown, expired or used up. */
export async function mfaTokenChallenge(ctx: Pick<MfaTokenCtx, 'db' | 'clock' | 'settings'>, mfaToken: string): Promise<{ userId: number; factors: readonly SecondFactor[] } | undefined> {
  if (!shaped(mfaToken)) return undefined;
  const row = await findLiveMfaToken(ctx.db, tokenDigest(mfaToken), ctx.clock.now(), ctx.settings.get('mfa_token_max_attempts'));
  return row && { userId: row.user_id, factors: factorsOf(row.factors) };
}

/** A `finish` that commits the redemption by itself (its audit rows) and hands back the LoginSuccess, for a session opened after. */
export const redeemedAlone = (success: LoginSuccess, transaction: LoginTransaction): Promise<LoginSuccess> => transaction(async (trx, audits) => {
  await recordAudits(trx, audits);
  return success;
});

/** The factor's step was spent by a parallel redemption between the check and the transaction. */
class FactorSpentMeanwhile extends Error {}

/**
 * Redeems an mfa_token with a second factor: `check` verifies the factor for the token's account
 * (and spends it, for single-use codes, or hands back a `spend` to run with the consumption).
 * Right: the token is consumed (one UPDATE, so of N parallel redemptions exactly one gets the
 * LoginSuccess, with `amr`). Wrong: an attempt is counted on the
 * token and, exactly like a wrong password, toward the account's lock (unless a device token
 * carries the login), audited; `invalid_mfa_code`. An unknown, expired, used or exhausted token,
 * a factor it does not offer, or an account locked or blocked meanwhile: `mfa_token_invalid`.
 */
export function redeemMfaToken(
  ctx: MfaTokenCtx,
  mfaToken: string,
  factor: SecondFactor,
  check: (userId: number) => Promise<boolean | FactorProof>,
  meta: RequestMeta,
): Promise<LoginSuccess> {
  return redeemMfaTokenInto(ctx, mfaToken, factor, check, meta, redeemedAlone);
}

/**
 * redeemMfaToken, the login finished by `finish` inside the redemption's transaction: it gets the
 * LoginSuccess and the LoginTransaction to open (establishSession's last argument). Nothing
 * commits unless that transaction does; a step spent meanwhile rolls it back and is a wrong
 * factor, a token used meanwhile is `mfa_token_invalid`.
 */
export async function redeemMfaTokenInto<T>(
  ctx: MfaTokenCtx,
  mfaToken: string,
  factor: SecondFactor,
  check: (userId: number) => Promise<boolean | FactorProof>,
  meta: RequestMeta,
  finish: (success: LoginSuccess, transaction: LoginTransaction) => Promise<T>,
): Promise<T> {
  if (!shaped(mfaToken)) throw new AuthError('mfa_token_invalid');
  const now = ctx.clock.now();
  const hash = tokenDigest(mfaToken);
  const max = ctx.settings.get('mfa_token_max_attempts');
  const row = await findLiveMfaToken(ctx.db, hash, now, max);
  if (!row || !factorsOf(row.factors).includes(factor)) throw new AuthError('mfa_token_invalid');
  const user = await ctx.users.get(row.user_id);
  const device: DeviceToken | undefined = row.device_token_id && row.device_token_enc ? { id: row.device_token_id, userId: row.user_id, token: unseal(ctx.secretKey, devicePurpose, row.device_token_enc) } : undefined;
  // Locked by wrong codes (or passwords) since the password step, or disabled meanwhile: this token is done.
  if (!user || loginBlock(ctx, user) || (!device && user.locked_until !== null && user.locked_until > now)) throw new AuthError('mfa_token_invalid');
  const wrong = async (): Promise<never> => {
    const attempts = await countMfaTokenAttempt(ctx.db, hash, now, max);
    await failLogin(ctx, { reason: 'wrong_password', userId: user.id, counts: !device, device, detail: { reason: 'wrong_second_factor', factor, ...(device ? { device_token: true } : {}) } }, meta, now);
    await recordAudit(ctx.db, { kind: 'mfa.verify_failed', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { factor, attempts: attempts ?? max } });
    throw new AuthError(attempts === undefined ? 'mfa_token_invalid' : 'invalid_mfa_code');
  };
  const proved = await check(user.id);
  if (proved === false) return wrong();
  const proof = proved === true ? undefined : proved;
  const amr = secondFactorAmr(factor, proof);
  const verified: AuditEvent = { kind: 'mfa.verified', at: now, userId: user.id, ip: meta.ip, userAgent: meta.userAgent, detail: { factor, amr } };
  // The factor's spend and the token's consumption come first in the transaction (one UPDATE each,
  // so of N parallel redemptions exactly one gets past them); a lost token undoes the spend.
  const transaction: LoginTransaction = async (work) => {
    try {
      return await inTransaction(ctx, async (trx) => {
        if (proof?.spend && !(await proof.spend(trx))) throw new FactorSpentMeanwhile();
        if (!(await consumeMfaToken(trx, hash, ctx.clock.now(), max))) throw new AuthError('mfa_token_invalid');
        return work(trx, [verified]);
      });
    } catch (err) {
      if (err instanceof FactorSpentMeanwhile) return wrong();
      throw err;
    }
  };
  return finish({ kind: 'success', user, amr, ...(device ? { device } : {}) }, transaction);
}

/** What a login route that can take the second step answers a right password: 401 `mfa_required` carrying a fresh mfa_token and the factors it accepts. */
export async function mfaRequiredProblem(ctx: MfaTokenCtx, verdict: FactorRequired, meta: RequestMeta): Promise<AuthError> {
  const { mfaToken, factors, expiresIn } = await issueMfaToken(ctx, verdict, meta);
  return new AuthError('mfa_required', 'The password is right; send a second factor with mfa_token to POST /v1/auth/mfa/verify', undefined, {
    [problemExtensions]: { mfa_token: mfaToken, factors, expires_in: expiresIn },
  });
}
