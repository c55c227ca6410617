import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, type AppOptions, type Gatehouse } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { settingDefs } from '../../src/core/settings.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { createLogger } from '../../src/logger.js';
import { freshStore, type BackendName } from './backends.js';
import { QueryCounter } from './query-counter.js';
import { checkAnswers } from './answer-check.js';
import { testPassword } from './passwords.js';

export interface TestApp extends Gatehouse {
  clock: ManualClock;
  backend: BackendName;
  /** Every log line the app wrote, for "never logged" assertions. */
  logs: string[];
  /** Every query the app sent to the database (reset it, then act, then read `count`). */
  queries: QueryCounter;
  request(opts: InjectOptions): Promise<LightMyRequestResponse & { json<T = any>(): T }>;
  /** Registers a user (native API) and returns the login response body. */
  signUp(fields?: Record<string, unknown>): Promise<{ access_token: string; refresh_token: string; user: any }>;
}

export interface InjectOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `Authorization: Token <apiKey>`. */
  apiKey?: string;
  /** The client address the server sees (default 127.0.0.1); vary it to stay under per-IP rate limits. */
  remoteAddress?: string;
}

let counter = 0;

/** A Gatehouse over a fresh database of `backend`, a manual clock, a memory cache and captured logs. */
export async function testApp(backend: BackendName, env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const fresh = await freshStore(backend);
  const queries = new QueryCounter();
  const store = { ...fresh.store, db: fresh.store.db.withPlugin(queries) };
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-data-'));
  const config: Config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
  const clock = new ManualClock(Date.now());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const log = createLogger(config, sink);
  const app = await createApp(config, { clock, store, cache: new MemoryCache({ clock }), log, mailWorker: false, ...options });
  const answers = checkAnswers(app.http);
  const closeApp = app.close.bind(app);
  const t: TestApp = Object.assign(app, {
    clock,
    backend,
    logs,
    queries,
    close: async () => {
      await closeApp();
      await fresh.store.close();
      await fresh.drop();
      if (answers.problems.length && !process.env.GATEHOUSE_ANSWER_REPORT) {
        throw new Error(`answers that do not match the OpenAPI document:\n${[...new Set(answers.problems)].join('\n')}`);
      }
    },
    async request(opts: InjectOptions) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.apiKey) headers.authorization = `Token ${opts.apiKey}`;
      return app.http.inject({ method: opts.method, url: opts.url, payload: opts.payload as never, headers, remoteAddress: opts.remoteAddress }) as never;
    },
    async signUp(fields: Record<string, unknown> = {}) {
      const n = ++counter;
      const body = { username: `user${n}_${process.pid}`, email: `user${n}_${process.pid}@example.com`, password: testPassword, ...fields };
      // Each sign-up from its own address, so suites never trip the per-IP sign-up limit.
      const res = await app.http.inject({ method: 'POST', url: '/v1/auth/register', payload: body, remoteAddress: `10.9.${(n >> 8) & 255}.${n & 255}` });
      if (res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
  });
  return t;
}

/** Raises every rate limit to its maximum, for suites that log in or sign up many times from one address or for one account. */
export async function relaxRateLimits(app: Gatehouse): Promise<void> {
  const limits: Record<string, number> = {};
  for (const [key, def] of Object.entries(settingDefs)) if (key.startsWith('rate_') && key !== 'rate_window' && def.type === 'int') limits[key] = def.max;
  await app.core.settings.update(limits, null);
}
