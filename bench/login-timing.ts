/**
 * Does a wrong password for an existing account cost the same as a login no account has?
 * (issue 10 item 15). For each backend, an in-process Gatehouse over a fresh database runs the
 * login use case (core `login()`, where the two paths differ; HTTP parsing is the same for both)
 * alternately for an existing account with a wrong password and for an unknown login, `rounds`
 * times each; prints one JSON line per backend with quartiles of each (ms) and the median of the
 * paired differences. Pairing and alternating the order spread drift and noise (the argon2
 * verify dominates both) evenly over the two.
 *
 *   npx tsx bench/login-timing.ts [rounds=400] [backends=sqlite,postgres] [login module, default src/core/login.ts]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createApp } from '../src/app.js';
import type { login as loginUseCase } from '../src/core/login.js';
import { loadConfig } from '../src/config.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

const rounds = Number(process.argv[2] ?? 400);
const backends = (process.argv[3] ?? 'sqlite,postgres').split(',');
const postgresUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const loginModule = process.argv[4] ?? '../src/core/login.js';
const { login } = (await import(loginModule)) as { login: typeof loginUseCase };
const password = 'bench-password-1';
const accounts = 20;

async function freshStore(backend: string): Promise<{ store: Store; drop(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-login-timing-'));
    const store = openStore(`sqlite:${join(dir, 'bench.db')}`);
    await migrateToLatest(store);
    return { store, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = openStore(postgresUrl, { schema, poolSize: 5 });
  await migrateToLatest(store);
  return {
    store,
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`).finally(() => client.end());
    },
  };
}

/**
 * The database's share, free of the hash's noise: time from each statement's compilation to its
 * result, summed per login, and the kinds of statements sent (BEGIN/COMMIT are not plugin-visible).
 */
class StatementClock implements KyselyPlugin {
  private readonly started = new WeakMap<QueryId, number>();
  ms = 0;
  kinds: string[] = [];
  reset(): void {
    this.ms = 0;
    this.kinds = [];
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, performance.now());
    this.kinds.push(args.node.kind.replace('QueryNode', ''));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const t = this.started.get(args.queryId);
    if (t !== undefined) this.ms += performance.now() - t;
    return args.result;
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const round = (x: number) => Math.round(x * 1000) / 1000;
const summary = (xs: number[]) => ({ p25: round(quantile(xs, 0.25)), median: round(quantile(xs, 0.5)), p75: round(quantile(xs, 0.75)) });

async function measure(backend: string) {
  const fresh = await freshStore(backend);
  const statements = new StatementClock();
  const store = { ...fresh.store, db: fresh.store.db.withPlugin(statements) };
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-login-timing-data-'));
  const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = await createApp(config, { store, mailWorker: false, cleanup: false, migrate: false });
  try {
    // Never refuse an attempt and never lock: the bench measures the login path, not the limiter.
    await app.core.settings.update({ rate_window: 1, rate_login_ip: 100_000, rate_login_account: 100_000, rate_register_ip: 100_000, lockout_threshold: 1000 }, null);
    for (let n = 0; n < accounts; n++) {
      const res = await app.http.inject({ method: 'POST', url: '/v1/auth/register', payload: { username: `timing_${n}`, email: `timing_${n}@example.com`, password } });
      if (res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
    }
    const meta = { ip: '192.0.2.1', userAgent: 'bench' };
    const attempt = async (who: string, db: number[]) => {
      statements.reset();
      const started = performance.now();
      const code = await login(app.core, { login: who, password: 'a wrong password' }, { by: 'either' }, meta).then(() => 'ok', (err: { code?: string }) => err.code);
      const ms = performance.now() - started;
      if (code !== 'invalid_credentials') throw new Error(`expected invalid_credentials, got ${code}`);
      db.push(statements.ms);
      kinds.set(db, statements.kinds.join(','));
      return ms;
    };
    const kinds = new Map<number[], string>();
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) await attempt(i % 2 ? `timing_${i % accounts}` : `nobody_${i}`, warm);
    const known: number[] = [];
    const unknown: number[] = [];
    const knownDb: number[] = [];
    const unknownDb: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so neither always follows the other.
      if (i % 2) {
        known.push(await attempt(`timing_${i % accounts}`, knownDb));
        unknown.push(await attempt(`nobody_${i}`, unknownDb));
      } else {
        unknown.push(await attempt(`nobody_${i}`, unknownDb));
        known.push(await attempt(`timing_${i % accounts}`, knownDb));
      }
    }
    const diff = (a: number[], b: number[]) => round(quantile(a.map((x, i) => x - b[i]!), 0.5));
    return {
      backend,
      rounds,
      total: { known_wrong_ms: summary(known), unknown_ms: summary(unknown), median_of_differences_ms: diff(known, unknown) },
      database: { known_wrong_ms: summary(knownDb), unknown_ms: summary(unknownDb), median_of_differences_ms: diff(knownDb, unknownDb) },
      statements: { known_wrong: kinds.get(knownDb), unknown: kinds.get(unknownDb) },
    };
  } finally {
    await app.close();
    await fresh.store.close?.();
    await fresh.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const backend of backends) process.stdout.write(JSON.stringify(await measure(backend)) + '\n');
