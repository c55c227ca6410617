import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// bcryptjs is pure JavaScript (≈300 ms of CPU at cost 12), so it runs on worker threads, never on the event loop.
const bcryptjsPath = createRequire(import.meta.url).resolve('bcryptjs');
// Eval'd source rather than a file, so the worker starts the same from src/ (vitest) and dist/ (tsc).
const workerSource = `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptjsPath)});
parentPort.on('message', ({ id, password, salt }) => {
  let hash = null;
  try { hash = bcrypt.hashSync(password, salt); } catch {}
  parentPort.postMessage({ id, hash });
});
`;

interface Reply {
  id: number;
  hash: string | null;
}

class BcryptThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (hash: string | undefined) => void>();
  private nextId = 0;
  dead = false;

  constructor() {
    this.worker = new Worker(workerSource, { eval: true });
    this.worker.on('message', (reply: Reply) => this.settle(reply.id, reply.hash ?? undefined));
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
    // After the listeners, which re-reference the port: an idle pool must not keep the process alive.
    this.worker.unref();
  }

  get load(): number {
    return this.pending.size;
  }

  hash(password: string, salt: string): Promise<string | undefined> {
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, password, salt });
    });
  }

  private settle(id: number, hash: string | undefined): void {
    this.pending.get(id)?.(hash);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(): void {
    this.dead = true;
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
  }
}

const poolSize = Math.min(2, availableParallelism());
let threads: BcryptThread[] = [];

/** bcrypt(password, salt) off the event loop; undefined when bcryptjs refuses the input or the worker died. */
export function bcryptHash(password: string, salt: string): Promise<string | undefined> {
  threads = threads.filter((thread) => !thread.dead);
  while (threads.length < poolSize) threads.push(new BcryptThread());
  const idlest = threads.reduce((best, thread) => (thread.load < best.load ? thread : best));
  return idlest.hash(password, salt);
}
