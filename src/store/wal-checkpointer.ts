import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * SQLite's WAL checkpoints on a thread of their own. By default the connection that commits the
 * transaction which takes the WAL past 1,000 pages runs the checkpoint inside that COMMIT: it
 * copies the pages into the database file and fsyncs it, on the event loop. Measured on this
 * machine (a TOTP login's second step, in process): COMMIT p50 211 µs, mean 671 µs, max 17.7 ms —
 * every few hundred logins one request, and every request queued behind it, waited for an fsync.
 *
 * Here the serving connection never checkpoints (`wal_autocheckpoint = 0`); a worker thread with
 * its own connection runs a PASSIVE checkpoint every `intervalMs` (it takes no lock writers wait
 * for, and skips what readers still need). Should the thread die, the serving connection
 * checkpoints for itself again, as before, and `onLost` is told: the WAL never grows unbounded.
 *
 * Once a second, not more often: a checkpoint copies every page changed since the last one, and the
 * pages every commit touches (index roots, the newest leaf of each table) are copied again each
 * time. At 200 ms a password login cost 4.15 ms of CPU outside hashing against 3.31 ms at 1 s
 * (`npm run bench -- --totp-login`, quiet machine); at 1 s the copying is about what SQLite's own
 * 1,000-page checkpoints did, only off the event loop.
 */
export interface WalCheckpointer {
  /** Ends the thread (the connection's own close then checkpoints what is left). */
  stop(): Promise<void>;
}

/** SQLite's default `wal_autocheckpoint` (pages), restored when the thread is gone. */
const defaultAutoCheckpoint = 1000;

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
// Eval'd CommonJS, so the thread starts the same from src/ (vitest) and dist/ (tsc).
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(${JSON.stringify(sqlitePath)});
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} // busy or locked: the next turn tries again
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

export function startWalCheckpointer(database: SQLite.Database, file: string, onLost: (err: unknown) => void, intervalMs = 1000): WalCheckpointer {
  const worker = new Worker(source, { eval: true, workerData: { file, intervalMs } });
  worker.unref();
  let stopping = false;
  database.pragma('wal_autocheckpoint = 0');
  const lost = (err: unknown) => {
    if (stopping) return;
    stopping = true;
    try {
      database.pragma(`wal_autocheckpoint = ${defaultAutoCheckpoint}`);
    } catch {
      // The connection is closing: nothing left to checkpoint for.
    }
    onLost(err);
  };
  worker.once('error', lost);
  worker.once('exit', (code) => lost(new Error(`the WAL checkpoint thread exited (code ${code})`)));
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      // Held while stopping: with the thread and the timer unreferenced, a command line process
      // (import, migrate) would find its event loop empty here and exit 0 mid-close, whatever failed.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      await worker.terminate();
      database.pragma(`wal_autocheckpoint = ${defaultAutoCheckpoint}`);
    },
  };
}
