/**
 * The cleanup thread (src/jobs/cleanup-thread.ts): the pass of src/jobs/cleanup.ts over a
 * connection of its own to the SQLite file, opened as the server opens it (WAL, busy timeout).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/db.js';
import { deleteExpired } from './cleanup.js';
import type { CleanupReply, CleanupRequest, CleanupWorkerData } from './cleanup-thread.js';

const port = parentPort!;
const { file } = workerData as CleanupWorkerData;
const store = openStore(`sqlite:${file}`);
let stopping = false;

const reply = (m: CleanupReply) => port.postMessage(m);

port.on('message', (m: CleanupRequest) => {
  if (m.type === 'stop') {
    stopping = true;
    return;
  }
  deleteExpired(store.db, m.pass, () => stopping).then(
    (counts) => reply({ type: 'done', counts }),
    (err: unknown) => reply({ type: 'failed', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }),
  );
});
