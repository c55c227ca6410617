import type { Trx } from '../store/dialect/index.js';
import { isTransaction, openTransaction } from '../store/transaction.js';
import type { Ctx, Db } from './context.js';

/** Work that must happen only once a transaction's changes are visible to everyone (Django's `on_commit`). */
export type Effect = () => unknown;

/** What running a transaction needs: a database to open it on, a log for effects that fail. */
export type TransactionCtx = Pick<Ctx, 'db' | 'log'>;

// Keyed on the Transaction object use cases pass around as `Db`, so any code handed `trx`
// (endAccess, revokeSessions) can register an effect without a new parameter.
const pending = new WeakMap<Db, Effect[]>();

/**
 * Runs `work` in one transaction and then, only if it committed, the effects registered with
 * `afterCommit` during it, in registration order, before returning. A rollback (`work` throws)
 * or a failed COMMIT drops them. With `within` an open transaction, `work` joins it: no savepoint,
 * and its effects wait for that outer transaction's commit.
 *
 * An effect that throws is logged and skipped; the next still runs and the caller still gets the
 * result. The change is committed: answering 500 would only make a client retry finished work.
 * Effects here are cache messages whose loss the cache resync makes up for.
 */
export async function inTransaction<T>(ctx: TransactionCtx, work: (trx: Trx) => Promise<T>, within: Db = ctx.db): Promise<T> {
  if (isTransaction(within)) {
    if (!pending.has(within)) throw new Error('inTransaction cannot join a transaction it did not open: its commit is unknown');
    return work(within);
  }
  const effects: Effect[] = [];
  const result = await openTransaction(within, async (trx) => {
    pending.set(trx, effects);
    try {
      return await work(trx);
    } finally {
      // Registering after the work is done (a stray promise) is a bug; make it throw.
      pending.delete(trx);
    }
  });
  for (const effect of effects) await runEffect(ctx, effect);
  return result;
}

/**
 * Registers `effect` to run once `db`'s transaction commits. Outside a transaction (`db` is the
 * database itself) the statements already committed, so it runs now.
 */
export async function afterCommit(ctx: TransactionCtx, db: Db, effect: Effect): Promise<void> {
  if (!isTransaction(db)) return runEffect(ctx, effect);
  const effects = pending.get(db);
  if (!effects) throw new Error('afterCommit needs a transaction opened by inTransaction (or already finished)');
  effects.push(effect);
}

async function runEffect(ctx: TransactionCtx, effect: Effect): Promise<void> {
  try {
    await effect();
  } catch (err) {
    ctx.log.error({ err }, 'after-commit effect failed; the transaction stays committed');
  }
}
