/**
 * Gatehouse as `gatehouse serve` starts it (startServer, same config from the environment), for
 * the `history` scenario, with the cleanup job's timer off and its pass run on request instead:
 * the parent sends `{ type: 'cleanup' }` over IPC and gets the pass's time and counts back, so a
 * pass runs inside the server process exactly as the job runs it (on SQLite, on its cleanup thread).
 * Once listening it reports how long a full revocation-set rebuild takes on this database.
 */
import { startServer } from '../src/cli/server-process.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/core/clock.js';
import { deleteExpiredRows } from '../src/jobs/cleanup.js';
import { CleanupThread } from '../src/jobs/cleanup-thread.js';

export type HistoryServerMessage =
  | { type: 'ready'; importedMs: number; listeningMs: number; rebuildMs: number; revoked: number }
  | { type: 'cleaned'; ms: number; counts: Record<string, number> | undefined }
  | { type: 'failed'; error: string };

// Static imports are done by the first statement: the time since the process started is Node's start and module loading.
const importedMs = performance.now();
const config = loadConfig(process.env);
const server = await startServer(config, { cleanup: false });
const { core, store } = server.app;
const send = (m: HistoryServerMessage) => process.send?.(m);
// As the job runs it: on a SQLite file, on the cleanup thread.
const thread = store.sqliteFile === undefined ? undefined : new CleanupThread(store.sqliteFile, core.log);

const listeningMs = performance.now();
const t = performance.now();
await core.revocations.rebuild();
send({ type: 'ready', importedMs, listeningMs, rebuildMs: performance.now() - t, revoked: core.revocations.size });

process.on('message', (m: { type: string }) => {
  if (m.type !== 'cleanup') return;
  const started = performance.now();
  deleteExpiredRows({ db: store.db, clock: systemClock, log: core.log, retentionSeconds: config.cleanupRetentionSeconds, sessionIdleSeconds: config.sessionIdleSeconds, settings: core.settings, thread }).then(
    (counts) => send({ type: 'cleaned', ms: performance.now() - started, counts }),
    (err: unknown) => send({ type: 'failed', error: String(err) }),
  );
});
process.channel?.unref();
process.on('SIGTERM', () => void Promise.all([thread?.close(), server.close()]).then(() => process.exit(0)));
