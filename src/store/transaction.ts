import type { Db, RootDb, Trx } from './dialect/index.js';

/** Runs `work` in one transaction on `db`: committed when it resolves, rolled back when it throws. */
export function openTransaction<T>(db: RootDb, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/** True when `db` is an open transaction rather than the database itself. */
export function isTransaction(db: Db): db is Trx {
  return db.isTransaction;
}
