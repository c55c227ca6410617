import type { Core } from './core.js';
import { AuthError } from './errors.js';
import type { SettingKey } from './settings.js';

export type RateBucket = 'login_ip' | 'login_account' | 'register_ip' | 'reset_ip' | 'otp_ip' | 'console_ip';

const limitSetting: Record<RateBucket, SettingKey> = {
  login_ip: 'rate_login_ip',
  login_account: 'rate_login_account',
  register_ip: 'rate_register_ip',
  reset_ip: 'rate_reset_ip',
  otp_ip: 'rate_otp_ip',
  console_ip: 'rate_login_ip',
};

/** Observers of rate-limit hits (metrics). */
export const rateLimitListeners: ((bucket: RateBucket) => void)[] = [];

/**
 * Counts one attempt in a fixed window shared by every instance (through the cache) and
 * refuses past the limit. If the cache is down, the attempt is allowed: an outage must not lock everyone out.
 */
export async function enforceRateLimit(core: Core, bucket: RateBucket, key: string): Promise<void> {
  const limit = core.settings.get(limitSetting[bucket]) as number;
  const window = core.settings.get('rate_window');
  let hit: { count: number; resetSeconds: number };
  try {
    hit = await core.cache.hit(`rl:${bucket}:${key}`, window);
  } catch (err) {
    core.log.warn({ err, bucket }, 'rate limit not enforced: cache unavailable');
    return;
  }
  if (hit.count > limit) {
    for (const l of rateLimitListeners) l(bucket);
    const retryAfter = Math.max(1, Math.ceil(hit.resetSeconds));
    throw new AuthError('rate_limited', `Request was throttled. Expected available in ${retryAfter} seconds.`, undefined, { retryAfter });
  }
}
