import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Cache } from '../core/context.js';
import { MemoryCache } from './memory.js';
import { RedisCache } from './redis.js';

export { MemoryCache, type MemoryCacheOptions } from './memory.js';
export { RedisCache, type RedisCacheOptions } from './redis.js';

/** Redis when REDIS_URL is set (shared by every instance), otherwise this process's memory. */
export function createCache(config: Config, clock: Clock, log: Logger): Cache {
  if (config.redisUrl !== undefined) return new RedisCache({ url: config.redisUrl, prefix: config.redisPrefix, log: log.child({ component: 'cache' }) });
  return new MemoryCache({ clock, log: log.child({ component: 'cache' }), maxEntries: config.cacheMaxEntries });
}
