import type { Core } from '../core.js';
import type { enforceRateLimit } from '../rate-limit.js';

/** What issuing and checking one-time codes needs: the database, a clock, the limits in settings and the secret that keys code digests. */
export type CodeCtx = Pick<Core, 'db' | 'clock' | 'settings' | 'secretKey'>;

/** A recovery use case that writes: codes plus mail and a log for after-commit effects. */
export type RecoveryCtx = CodeCtx & Pick<Core, 'mailer' | 'log'>;

/** What rate limiting takes, as rate-limit.ts declares it. */
export type RateLimitCtx = Parameters<typeof enforceRateLimit>[0];
