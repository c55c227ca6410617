import type { Clock } from '../core/clock.js';
import type { Db } from '../core/context.js';
import { requeueFailedMail } from '../store/outbox-repo.js';

// The outbox table is store/outbox-repo.ts's; mail re-exports what its callers read.
export { outboxStats, outboxStatuses, type OutboxRow, type OutboxStats, type OutboxStatus } from '../store/outbox-repo.js';

/** Puts a `failed` mail back in the queue with a fresh attempt budget; false when `id` is not a failed mail. */
export function retryMail(db: Db, id: number, clock: Clock): Promise<boolean> {
  return requeueFailedMail(db, id, clock.now());
}
