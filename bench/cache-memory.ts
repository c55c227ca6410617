/**
 * Memory of the bounded caches: one process reads `users` distinct users (default 1M, seeded
 * into a fresh SQLite file in one statement) through the user cache, then floods the embedded
 * cache with as many distinct rate-limit counters, with GATEHOUSE_CACHE_MAX_ENTRIES = `cap`
 * (default: the configured default). Prints one JSON line per step: entries held, RSS and heap
 * after a full GC. Run: `node --expose-gc --import tsx bench/cache-memory.ts [cap] [users]`.
 * Not part of `npm test`; the figures live in docs/performance.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { MemoryCache } from '../src/cache/memory.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/core/clock.js';
import type { Ctx } from '../src/core/context.js';
import { UserCache } from '../src/core/user-cache.js';
import { openStore } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { seedUsers } from './database.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const users = Number(process.argv[3] ?? 1_000_000);
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cache-bench-'));
const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_CACHE_MAX_ENTRIES: process.argv[2] ?? '' });
const url = `sqlite:${join(dataDir, 'bench.db')}`;

function report(step: string, extra: Record<string, number> = {}): void {
  gc!();
  const { rss, heapUsed } = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1e5) / 10;
  console.log(JSON.stringify({ step, cap: config.cacheMaxEntries, ...extra, rssMB: mb(rss), heapMB: mb(heapUsed) }));
}

const store = openStore(url);
try {
  await migrateToLatest(store);
  const seedSeconds = await seedUsers({ backend: 'sqlite', url, dataDir, drop: async () => {} }, 1, users, '!');
  const cache = new MemoryCache({ clock: systemClock, maxEntries: config.cacheMaxEntries });
  const ctx: Ctx = { config, db: store.db, cache, clock: systemClock, mailer: { enqueue: async () => {} }, log: pino({ level: 'silent' }) };
  const userCache = new UserCache(ctx);
  report('seeded', { users, seedSeconds: Math.round(seedSeconds) });
  const started = performance.now();
  for (let id = 1; id <= users; id++) {
    await userCache.get(id);
    if (id % 250_000 === 0) report('users read', { distinctUsers: id });
  }
  report('users done', { readsPerSecond: Math.round(users / ((performance.now() - started) / 1000)) });
  for (let i = 1; i <= users; i++) {
    await cache.hit(`rl:login_account:${i.toString(36).padStart(22, '0')}`, 60);
    if (i % 250_000 === 0) report('counters hit', { distinctCounters: i, counters: cache.size });
  }
  // Still in use, so the figures above count both caches, as a serving process holds both.
  await userCache.get(users);
  await cache.close();
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
