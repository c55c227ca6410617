import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CleanupCounts, CleanupPass } from './cleanup-pass.js';

/** What the cleanup thread is sent: a pass to run, or the word to end the one running after its batch. */
export type CleanupRequest = { type: 'pass'; pass: CleanupPass } | { type: 'stop' };

/** What it answers to a pass. */
export type CleanupReply = { type: 'done'; counts: CleanupCounts } | { type: 'failed'; message: string; stack?: string };

/** Data the worker starts with. */
export interface CleanupWorkerData {
  file: string;
}

/** After `close()` asks a pass to end, how long its current batch may take before the thread is ended anyway. */
const closeGraceMs = 10_000;

// From src/ (vitest, tsx) the entry is TypeScript, which tsx's API loads in the thread; from dist/ Node loads it.
const fromSource = import.meta.url.endsWith('.ts');
const entry = new URL(`./cleanup-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

function startWorker(workerData: CleanupWorkerData): Worker {
  if (!fromSource) return new Worker(entry, { workerData });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = new URL('dist/esm/api/index.mjs', tsx).href;
  const source = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(source, { eval: true, workerData });
}

interface Pending {
  done: Promise<unknown>;
  resolve(counts: CleanupCounts): void;
  reject(err: Error): void;
}

/**
 * The cleanup pass on a worker thread with its own better-sqlite3 connection to the same file.
 * better-sqlite3 runs each statement on the thread that calls it, so in-process every batch held
 * up every request; here the main thread keeps serving (WAL: readers never wait; the busy timeout
 * of both connections queues their writes). Started at the first pass and kept for the next; a
 * thread that dies is logged, fails its pass, and is replaced at the next one.
 */
export class CleanupThread {
  private current: Worker | undefined;
  private pending: Pending | undefined;
  private closing = false;
  private readonly file: string;

  constructor(
    file: string,
    private readonly log: Logger,
  ) {
    this.file = resolve(file);
  }

  /** The worker thread, while one is running (tests end it to play a crash). */
  get worker(): Worker | undefined {
    return this.current;
  }

  /** Runs one pass on the thread; rejects when it fails or the thread dies. One pass at a time. */
  run(pass: CleanupPass): Promise<CleanupCounts> {
    if (this.closing) return Promise.reject(new Error('cleanup thread closed'));
    if (this.pending) return Promise.reject(new Error('a cleanup pass is already running on the cleanup thread'));
    const worker = this.current ?? this.spawn();
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const done = new Promise<CleanupCounts>((resolve, reject) => (settle = { resolve, reject }));
    this.pending = { done: done.catch(() => {}), ...settle };
    worker.ref();
    worker.postMessage({ type: 'pass', pass } satisfies CleanupRequest);
    return done;
  }

  /** Ends the pass in progress after its current batch, then the thread. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.current;
    if (!worker) return;
    if (this.pending) {
      worker.postMessage({ type: 'stop' } satisfies CleanupRequest);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.pending.done, new Promise((r) => (timer = setTimeout(r, closeGraceMs)))]);
      clearTimeout(timer);
    }
    await worker.terminate();
  }

  private spawn(): Worker {
    const worker = startWorker({ file: this.file });
    worker.on('message', (reply: CleanupReply) => this.settle(reply));
    worker.on('error', (err) => {
      this.log.error({ err }, 'cleanup thread crashed; the next pass starts a new one');
      this.end(worker, err);
    });
    worker.on('exit', (code) => {
      if (!this.closing && this.current === worker) this.log.error({ code }, 'cleanup thread exited; the next pass starts a new one');
      this.end(worker, new Error(`cleanup thread exited with code ${code}`));
    });
    // After the listeners, which re-reference it: an idle thread must not keep the process alive.
    worker.unref();
    this.current = worker;
    return worker;
  }

  private settle(reply: CleanupReply): void {
    const pending = this.pending;
    this.pending = undefined;
    this.current?.unref();
    if (!pending) return;
    if (reply.type === 'done') return pending.resolve(reply.counts);
    const err = new Error(reply.message);
    if (reply.stack) err.stack = reply.stack;
    pending.reject(err);
  }

  private end(worker: Worker, err: Error): void {
    if (this.current !== worker) return;
    this.current = undefined;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(err);
  }
}
