/**
 * Admin user search at scale: `npx tsx bench/search.ts [--users 1000000] [--backend sqlite|postgres|both] [--rounds 200]`.
 * Seeds the users in one statement (bench/database.ts), migrated by this source tree (no build),
 * then times listUsers (the page and its total, as GET /v1/admin/users runs them, without HTTP)
 * for searches that match a few users, and prints p50/p99 and each query's plan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql } from 'kysely';
import { listUsers } from '../src/core/admin/users-query.js';
import { systemClock } from '../src/core/clock.js';
import type { Core } from '../src/core/core.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { adminQuery, adminUrl, seedUsers, type Backend, type BenchDatabase } from './database.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '1000000' }, backend: { type: 'string', default: 'both' }, rounds: { type: 'string', default: '200' } } });
const users = Number(values.users);
const rounds = Number(values.rounds);

async function database(backend: Backend): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-search-'));
  if (backend === 'sqlite') return { backend, url: `sqlite:${join(dataDir, 'bench.db')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `gatehouse_search_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { backend, url: u.toString(), dataDir, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const pick = () => 100_000 + Math.floor(Math.random() * (users - 100_000));
/** Searches an operator types, matching a few users (a username's middle, an email's middle, a common word with a number), then ones matching every user. */
const searches: [string, () => string, 'few' | 'all'][] = [
  ['username substring', () => `nch_${pick()}`, 'few'],
  ['email substring', () => `${pick()}@bench`, 'few'],
  ['two words', () => `bench ${pick()}`, 'few'],
  ['last name', () => `user ${pick()}`, 'few'],
  ['sort by username', () => `h_${pick()}`, 'few'],
  ['every user: "bench"', () => 'bench', 'all'],
  ['every user: "be"', () => 'be', 'all'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function explain(store: Store, q: string): Promise<string> {
  const seen: CompiledQuery[] = [];
  const db = store.db.withPlugin({ transformQuery: (a) => (seen.push(store.db.getExecutor().compileQuery(a.node, a.queryId)), a.node), transformResult: async (a) => a.result });
  await listUsers({ db, dialect: store.dialect, clock: systemClock } as unknown as Core, { q });
  const out: string[] = [];
  for (const c of seen) {
    const prefix = store.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const rows = (await store.db.executeQuery(CompiledQuery.raw(prefix + c.sql, [...c.parameters]))).rows as Record<string, string>[];
    out.push(rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n    '));
  }
  return out.join('\n    ---\n    ');
}

async function run(backend: Backend): Promise<void> {
  const db = await database(backend);
  try {
    let store = openStore(db.url);
    await migrateToLatest(store);
    await store.close();
    const seconds = await seedUsers(db, 1, users, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA');
    store = openStore(db.url);
    await sql`analyze`.execute(store.db);
    console.log(`${backend}: ${users} users seeded (search index maintained on insert) in ${seconds.toFixed(1)} s`);
    const core = { db: store.db, dialect: store.dialect, clock: systemClock } as unknown as Core;
    for (const [name, q, matches] of searches) {
      const sort = name === 'sort by username' ? 'username' : undefined;
      const n = matches === 'few' ? rounds : 5;
      for (let i = 0; i < (matches === 'few' ? 10 : 1); i++) await listUsers(core, { q: q(), sort });
      const times: number[] = [];
      let matched = 0;
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const page = await listUsers(core, { q: q(), sort });
        times.push(performance.now() - t);
        matched += page.total;
      }
      times.sort((a, b) => a - b);
      console.log(`  ${backend.padEnd(8)} ${name.padEnd(20)} p50 ${percentile(times, 0.5).toFixed(2)} ms  p99 ${percentile(times, 0.99).toFixed(2)} ms  (${n} runs, ${(matched / n).toFixed(1)} matches on average)`);
    }
    const sample = `nch_${pick()}`;
    console.log(`  plan of "${sample}":\n    ${await explain(store, sample)}`);
    await store.close();
  } finally {
    await db.drop();
  }
}

for (const backend of (values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend]) as Backend[]) await run(backend);
