import { Secret, TOTP } from 'otpauth';
import type { Core } from '../core.js';
import { seal, unseal } from '../secrets.js';
import { findTotp, spendTotpStep } from '../../store/mfa-repo.js';

/**
 * RFC 6238 as authenticator apps speak it: SHA-1, 6 digits, 30-second steps, a 160-bit secret.
 * A code is accepted one step early or late (clock drift), and a step once used is spent: the
 * stored last step only moves forward, by one conditional UPDATE, so a replayed code (and of two
 * parallel uses of one code, the second) is refused. Time is the injected clock, never Date.now().
 */
export const totpPeriod = 30;
export const totpDigits = 6;
const window = 1;
const sealPurpose = 'totp-secret';

export type TotpCtx = Pick<Core, 'db' | 'clock' | 'secretKey'>;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export const sealTotpSecret = (ctx: Pick<Core, 'secretKey'>, base32: string) => seal(ctx.secretKey, sealPurpose, base32);
export const unsealTotpSecret = (ctx: Pick<Core, 'secretKey'>, sealed: string) => unseal(ctx.secretKey, sealPurpose, sealed);

function totpOf(base32: string, label = 'account', issuer = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: totpDigits, period: totpPeriod, secret: Secret.fromBase32(base32) });
}

/** The otpauth:// URI an authenticator app scans (issuer and account label shown in the app). */
export function otpauthUri(base32: string, issuer: string, label: string): string {
  return totpOf(base32, label, issuer).toString();
}

/** A code as typed: digits, with spaces allowed between them (apps show "123 456"). */
export function normalizeTotpCode(code: unknown): string | undefined {
  if (typeof code !== 'string' || code.length > 16) return undefined;
  const digits = code.replace(/[ \u00a0]/g, '');
  return new RegExp(`^[0-9]{${totpDigits}}$`).test(digits) ? digits : undefined;
}

/** The time step `code` belongs to, within one step of now; undefined when it matches none. */
export function matchingStep(base32: string, code: unknown, now: number): number | undefined {
  const digits = normalizeTotpCode(code);
  if (!digits) return undefined;
  const totp = totpOf(base32);
  const delta = totp.validate({ token: digits, timestamp: now, window });
  return delta === null ? undefined : totp.counter({ timestamp: now }) + delta;
}

/**
 * The unspent step a code proves against the account's confirmed secret, not yet spent: the caller
 * spends it with `spendTotpStep` (in its own transaction, e.g. with the mfa_token it redeems).
 */
export async function unspentTotpStep(ctx: TotpCtx, userId: number, code: unknown): Promise<number | undefined> {
  const row = await findTotp(ctx.db, userId);
  if (!row || row.confirmed_at === null) return undefined;
  const step = matchingStep(unsealTotpSecret(ctx, row.secret_enc), code, ctx.clock.now());
  return step === undefined || step <= row.last_step ? undefined : step;
}

/** Checks a code against the account's confirmed secret and spends its step (single use, atomic). */
export async function verifyTotpCode(ctx: TotpCtx, userId: number, code: unknown): Promise<boolean> {
  const step = await unspentTotpStep(ctx, userId, code);
  return step !== undefined && spendTotpStep(ctx.db, userId, step);
}
