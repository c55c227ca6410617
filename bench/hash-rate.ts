/**
 * The limit for login and registration: how many argon2id hashes per second this machine
 * does with Gatehouse's configured parameters (`currentArgon2Params`), calling the library
 * directly on Node's libuv pool (normal priority, nothing else running) with `concurrency`
 * hashes in flight. Prints one JSON line: { concurrency, seconds, rate, verifyRate, … }.
 */
import { hash, verify } from '@node-rs/argon2';
import { currentArgon2Params } from '../src/core/passwords/argon2.js';

const concurrency = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 8);
const password = 'bench-password-1';
// Gatehouse's own options: argon2id, version 0x13, 32-byte output (see src/core/passwords/argon2.ts).
const hashPassword = (p: string) => hash(p, { algorithm: 2, version: 1, outputLen: 32, ...currentArgon2Params });

async function saturate(op: () => Promise<unknown>, forMs: number): Promise<number> {
  const end = performance.now() + forMs;
  let done = 0;
  const lane = async () => {
    while (performance.now() < end) {
      await op();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return done / ((performance.now() - started) / 1000);
}

const stored = await hashPassword(password);
await saturate(() => hashPassword(password), 1000); // warm-up: thread pool started, pages touched
const rate = await saturate(() => hashPassword(password), seconds * 1000);
// Login verifies rather than hashes; same parameters, so it should cost the same.
const verifyRate = await saturate(() => verify(stored, password), Math.max(1000, (seconds * 1000) / 4));
process.stdout.write(JSON.stringify({ concurrency, seconds, params: currentArgon2Params, rate, verifyRate, threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }) + '\n');
