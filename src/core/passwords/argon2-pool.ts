import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * argon2id on worker threads that run at a lower OS priority than the event loop.
 *
 * On the libuv pool, four hashes keep both cores of a small machine busy at the same
 * priority as the thread that answers every request, so a login storm delays the token
 * checks that cost microseconds. Here each hashing thread lowers its own nice value (Linux
 * sets it per thread), so the scheduler hands the event loop a core the moment it has work,
 * and hashing still takes every cycle the event loop leaves.
 */

const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');
// bcryptjs is pure JavaScript (≈300 ms of CPU at cost 12): it runs here too, never on the event loop.
const bcryptjsPath = createRequire(import.meta.url).resolve('bcryptjs');
/** Nice value of the hashing threads (0 is normal; 19 the lowest priority). */
const hashingNice = 10;
// Eval'd source rather than a file, so the worker starts the same from src/ (vitest) and dist/ (tsc).
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { setPriority } = require('node:os');
const crypto = require('node:crypto');
const argon2 = require(${JSON.stringify(argon2Path)});
let bcrypt;
try { setPriority(${hashingNice}); } catch {}
function run(op, first, second, options) {
  switch (op) {
    case 'hash': return argon2.hashSync(first, options);
    case 'verify': return argon2.verifySync(first, second);
    case 'pbkdf2': return crypto.pbkdf2Sync(first, second, options.iterations, options.keylen, options.digest).toString('base64');
    case 'scrypt': return crypto.scryptSync(first, second, options.keylen, { N: options.N, r: options.r, p: options.p, maxmem: options.maxmem }).toString('base64');
    case 'bcrypt':
      bcrypt = bcrypt || require(${JSON.stringify(bcryptjsPath)});
      return bcrypt.hashSync(first, second);
  }
  throw new Error('unknown op');
}
parentPort.on('message', ({ id, op, first, second, options }) => {
  try {
    const value = run(op, first, second, options);
    parentPort.postMessage({ id, value });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

export interface Argon2HashOptions {
  algorithm: number;
  version: number;
  outputLen: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface Pbkdf2Options {
  iterations: number;
  keylen: number;
  digest: string;
}

export interface ScryptJobOptions {
  keylen: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

type Job =
  | { op: 'hash'; first: string; options: Argon2HashOptions }
  | { op: 'verify'; first: string; second: string }
  | { op: 'pbkdf2'; first: string; second: string; options: Pbkdf2Options }
  | { op: 'scrypt'; first: string; second: string; options: ScryptJobOptions }
  | { op: 'bcrypt'; first: string; second: string };

interface Reply {
  id: number;
  value?: string | boolean;
  error?: string;
}

class HashingThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: string | boolean) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  dead = false;

  constructor() {
    this.worker = new Worker(workerSource, { eval: true });
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('argon2 worker exited')));
    // After the listeners, which re-reference the port: an idle pool must not keep the process alive.
    this.worker.unref();
  }

  get load(): number {
    return this.pending.size;
  }

  run(job: Job): Promise<string | boolean> {
    jobCounts[job.op]++;
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (!waiter) return;
    if (reply.error !== undefined) waiter.reject(new Error(reply.error));
    else waiter.resolve(reply.value!);
  }

  private fail(err: Error): void {
    this.dead = true;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}

/**
 * One hashing thread per core, at most 4 (each holds 19 MiB while it hashes). More threads
 * than cores only thrash the caches: on 2 cores, 2 in flight hash ~10% faster than 4.
 */
const poolSize = Math.min(availableParallelism(), 4);
let threads: HashingThread[] = [];

const jobCounts: Record<Job['op'], number> = { hash: 0, verify: 0, pbkdf2: 0, scrypt: 0, bcrypt: 0 };

/** How many jobs of each kind this process has sent to the pool (what a login really cost, for tests and metrics). */
export function hashingJobCounts(): Readonly<Record<Job['op'], number>> {
  return { ...jobCounts };
}

function idlest(): HashingThread {
  threads = threads.filter((t) => !t.dead);
  while (threads.length < poolSize) threads.push(new HashingThread());
  return threads.reduce((best, t) => (t.load < best.load ? t : best));
}

export async function argon2HashOnPool(password: string, options: Argon2HashOptions): Promise<string> {
  return (await idlest().run({ op: 'hash', first: password, options })) as string;
}

/**
 * The legacy hashes imported from Django run on the same bounded pool as argon2id, so a login
 * never waits behind more than the pool's few hashes, whatever mix of formats is stored.
 * Each returns base64 of the derived key (bcrypt: the bcrypt string) and throws on refused input.
 */
export async function pbkdf2OnPool(password: string, salt: string, options: Pbkdf2Options): Promise<string> {
  return (await idlest().run({ op: 'pbkdf2', first: password, second: salt, options })) as string;
}

export async function scryptOnPool(password: string, salt: string, options: ScryptJobOptions): Promise<string> {
  return (await idlest().run({ op: 'scrypt', first: password, second: salt, options })) as string;
}

export async function bcryptOnPool(password: string, salt: string): Promise<string> {
  return (await idlest().run({ op: 'bcrypt', first: password, second: salt })) as string;
}

/** Throws on a malformed hash, as the library's own `verify` does. */
export async function argon2VerifyOnPool(phc: string, password: string): Promise<boolean> {
  return (await idlest().run({ op: 'verify', first: phc, second: password })) as boolean;
}
