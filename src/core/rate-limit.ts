import { createHash } from 'node:crypto';
import type { Cache } from './context.js';
import type { Core } from './core.js';
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
  | 'console_account';

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
};

const localLimit = 100_000;

/** Fixed-window counters of one process, used only while the shared cache cannot be reached. */
class LocalWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  degraded = false;

  hit(key: string, windowSeconds: number, now: number): { count: number; resetSeconds: number } {
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      if (this.windows.size >= localLimit) this.prune(now);
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  delete(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full of live windows (an attack from many addresses): start over rather than grow.
    if (this.windows.size >= localLimit) this.windows.clear();
  }
}

const localByCache = new WeakMap<Cache, LocalWindows>();

function local(cache: Cache): LocalWindows {
  let windows = localByCache.get(cache);
  if (windows === undefined) {
    windows = new LocalWindows();
    localByCache.set(cache, windows);
  }
  return windows;
}

/** Keys are hashed: no emails or logins in Redis, and a bounded key length whatever the client sends. */
function counterKey(bucket: RateBucket, key: string): string {
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
  const name = counterKey(bucket, key);
  const fallback = local(core.cache);
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
    hit = fallback.hit(name, window, core.clock.now());
  }
  if (hit.count > limit) {
    emitCoreEvent({ type: 'rate_limited', bucket });
    const retryAfter = Math.max(1, Math.ceil(hit.resetSeconds));
    throw new AuthError('rate_limited', `Request was throttled. Expected available in ${retryAfter} seconds.`, undefined, { retryAfter, bucket });
  }
}

/** Forgets a counter (an admin clearing an account's protection); best effort when the cache is down. */
export async function resetRateLimit(core: Core, bucket: RateBucket, key: string): Promise<void> {
  const name = counterKey(bucket, key);
  local(core.cache).delete(name);
  await core.cache.del(name).catch((err: unknown) => core.log.warn({ err, bucket }, 'rate-limit counter not reset: cache unavailable'));
}
