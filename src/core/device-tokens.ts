import { randomUUID } from 'node:crypto';
import type { Core } from './core.js';
import type { Db } from './context.js';
import { randomToken, tokenDigest } from './secrets.js';
import { noSuchUserId } from '../store/users-repo.js';
import { countDeviceTokenFailure, deleteDeviceToken, findDeviceToken, issueDeviceToken, touchDeviceToken } from '../store/device-tokens-repo.js';

/** What the device-token steps of a login need (the writes get the login's transaction). */
export type DeviceTokensCtx = Pick<Core, 'db' | 'settings'>;

/**
 * Device tokens (OWASP's "device cookies" against lockout denial of service): a successful login
 * hands the client a random token bound to that account, stored only as its digest. A client that
 * presents a live one for the account it logs in to skips the account's lock and per-account
 * budget, so an attacker elsewhere can delay an account but not keep its owner out; per-IP limits
 * still apply. The token is unforgeable (256 random bits looked up server side) and revocable.
 */

/** The browser cookie that carries it (HttpOnly; Secure over HTTPS), sent only to the login route. */
export const deviceCookieName = 'gh_device';
/** Longer is not a token we issued (ours are 43 characters); it is treated as absent, not refused. */
export const deviceTokenMaxLength = 128;
export const deviceTokenDays = 90;
/** Tokens kept per account; issuing another deletes the oldest beyond this. */
export const deviceTokensPerAccount = 20;

const tokenShape = /^[A-Za-z0-9_-]+$/;

export interface DeviceToken {
  id: string;
  userId: number;
  /** As presented, so a successful login hands the same token back. */
  token: string;
}

/**
 * The live device token `presented` for this account, or undefined: absent, garbage, oversized,
 * expired, deleted or another account's token all count as none. An unknown login (no `userId`)
 * runs the same lookup against an id no account has, so presenting a token tells nothing.
 */
export async function trustedDevice(core: Pick<DeviceTokensCtx, 'db'>, presented: unknown, userId: number | undefined, now: number): Promise<DeviceToken | undefined> {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > deviceTokenMaxLength || !tokenShape.test(presented)) return undefined;
  const row = await findDeviceToken(core.db, tokenDigest(presented), userId ?? noSuchUserId, now);
  return row ? { ...row, token: presented } : undefined;
}

/**
 * After a successful login: the presented token is touched (and its failures forgiven), or a new
 * one is issued, keeping the account's newest `deviceTokensPerAccount` and dropping expired ones.
 * The first parameter (a context) is unused; it stays so callers keep their call shape.
 */
export async function deviceTokenForLogin(_ctx: unknown, trx: Db, userId: number, device: DeviceToken | undefined, now: number): Promise<string> {
  if (device) {
    await touchDeviceToken(trx, device.id, now);
    return device.token;
  }
  const token = randomToken(32);
  await issueDeviceToken(
    trx,
    { id: randomUUID(), token_hash: tokenDigest(token), user_id: userId, failures: 0, created_at: now, last_used_at: now, expires_at: now + deviceTokenDays * 86_400_000 },
    deviceTokensPerAccount,
  );
  return token;
}

/**
 * A wrong password sent with a device token counts against that token, not the account (the
 * answer is the same as any wrong password). At the lockout threshold the token is deleted, so
 * a stolen token buys a few guesses and then falls back under the account's lock.
 */
export async function deviceTokenFailed(core: Pick<DeviceTokensCtx, 'settings'>, trx: Db, device: DeviceToken): Promise<void> {
  const failures = await countDeviceTokenFailure(trx, device.id);
  if (failures !== undefined && failures >= core.settings.get('lockout_threshold')) await deleteDeviceToken(trx, device.id);
}
