import { isIPv6 } from 'node:net';
import { createHash } from 'node:crypto';
import type { Cache } from './context.js';
import type { Core } from './core.js';
import { CounterWindows } from './counter-windows.js';
import { AuthError } from './errors.js';
import { emitCoreEvent } from './observers.js';
import type { SettingKey } from './settings.js';

/** One counter family per endpoint and dimension: `<action>_ip` keys on the client IP, `<action>_account` on the login, email or user id. */
export type RateBucket =
  | 'login_ip'
  | 'login_account'
  | 'register_ip'
  | 'register_account'
  | 'reset_ip'
  | 'reset_account'
  | 'resend_ip'
  | 'resend_account'
  | 'otp_ip'
  | 'otp_account'
  | 'console_ip'
  | 'console_account'
  | 'email_change_ip'
  | 'email_change_account';

/** The runtime setting holding each bucket's limit per `rate_window`. */
export const rateLimitSetting: Record<RateBucket, SettingKey> = {
  login_ip: 'rate_login_ip',
  login_account: 'rate_login_account',
  register_ip: 'rate_register_ip',
  register_account: 'rate_register_account',
  reset_ip: 'rate_reset_ip',
  reset_account: 'rate_reset_account',
  resend_ip: 'rate_reset_ip',
  resend_account: 'rate_reset_account',
  otp_ip: 'rate_otp_ip',
  otp_account: 'rate_otp_account',
  console_ip: 'rate_login_ip',
  console_account: 'rate_login_account',
  email_change_ip: 'rate_email_change_ip',
  email_change_account: 'rate_email_change_account',
};

/**
 * Fixed-window counters of one process, used only while the shared cache cannot be reached;
 * at most GATEHOUSE_CACHE_MAX_ENTRIES windows, and a flood of new keys never resets a live one.
 */
class LocalWindows extends CounterWindows {
  degraded = false;
}

const localByCache = new WeakMap<Cache, LocalWindows>();

function local(core: Core): LocalWindows {
  let windows = localByCache.get(core.cache);
  if (windows === undefined) {
    windows = new LocalWindows(core.config.cacheMaxEntries);
    localByCache.set(core.cache, windows);
  }
  return windows;
}

/**
 * The per-IP budget key of a client address: IPv4 (and IPv4-mapped IPv6) per address, other
 * IPv6 per network of `prefix` bits (default /64: one subscriber holds 2^64 addresses).
 */
export function ipRateKey(address: string, prefix = 64): string {
  const ip = address.trim().toLowerCase().replace(/%.*$/, '');
  if (!isIPv6(ip)) return ip;
  const groups = expandIPv6(ip);
  if (groups === undefined) return ip;
  // ::ffff:a.b.c.d is an IPv4 client: keep it per address, spelled as IPv4.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  const bits = Math.max(0, Math.min(128, prefix));
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((g) => g.toString(16)).join(':')}/${bits}`;
}

function expandIPv6(ip: string): number[] | undefined {
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(fill).fill('0'), ...right];
  if (all.length !== 8) return undefined;
  return all.map((g) => parseInt(g, 16));
}

/** Keys are hashed: no emails or logins in Redis, and a bounded key length whatever the client sends. */
function counterKey(bucket: RateBucket, key: string, ipv6Prefix = 64): string {
  if (bucket.endsWith('_ip')) key = ipRateKey(key, ipv6Prefix);
  return `rl:${bucket}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

/**
 * Counts one attempt in a fixed window shared by every instance (through the cache) and
 * throws `rate_limited` (429, Retry-After) past the bucket's limit.
 *
 * When the shared cache cannot be reached the limit is still enforced, per process: an
 * outage neither locks everyone out (failing closed) nor lifts brute-force protection
 * (failing open); at worst N instances allow N times the budget until Redis is back.
 */
export async function enforceRateLimit(core: Core, bucket: RateBucket, key: string): Promise<void> {
  const limit = core.settings.get(rateLimitSetting[bucket]) as number;
  const window = core.settings.get('rate_window');
  const name = counterKey(bucket, key, core.config.ipv6Prefix);
  const fallback = local(core);
  let hit: { count: number; resetSeconds: number };
  try {
    hit = await core.cache.hit(name, window);
    if (fallback.degraded) {
      fallback.degraded = false;
      core.log.info('rate limits shared through the cache again');
    }
  } catch (err) {
    if (!fallback.degraded) {
      fallback.degraded = true;
      core.log.warn({ err, bucket }, 'cache unavailable: rate limits counted per instance until it returns');
    }
    emitCoreEvent({ type: 'rate_limit_fallback', bucket });
    hit = fallback.hit(name, window * 1000, core.clock.now());
  }
  if (hit.count > limit) {
    emitCoreEvent({ type: 'rate_limited', bucket });
    const retryAfter = Math.max(1, Math.ceil(hit.resetSeconds));
    throw new AuthError('rate_limited', `Request was throttled. Expected available in ${retryAfter} seconds.`, undefined, { retryAfter, bucket });
  }
}

/** Forgets a counter (an admin clearing an account's protection); best effort when the cache is down. */
export async function resetRateLimit(core: Core, bucket: RateBucket, key: string): Promise<void> {
  const name = counterKey(bucket, key, core.config.ipv6Prefix);
  local(core).delete(name);
  await core.cache.del(name).catch((err: unknown) => core.log.warn({ err, bucket }, 'rate-limit counter not reset: cache unavailable'));
}
