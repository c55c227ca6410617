import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, type AppOptions, type Gatehouse } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { createLogger } from '../../src/logger.js';
import { freshStore, type BackendName } from './backends.js';

export interface TestApp extends Gatehouse {
  clock: ManualClock;
  backend: BackendName;
  /** Every log line the app wrote, for "never logged" assertions. */
  logs: string[];
  request(opts: InjectOptions): Promise<LightMyRequestResponse & { json<T = any>(): T }>;
  /** Registers a user (native API) and returns the login response body. */
  signUp(fields?: Record<string, unknown>): Promise<{ access_token: string; refresh_token: string; user: any }>;
}

export interface InjectOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  token?: string;
}

let counter = 0;

/** A Gatehouse over a fresh database of `backend`, a manual clock, a memory cache and captured logs. */
export async function testApp(backend: BackendName, env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const { store } = await freshStore(backend);
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
  const closeApp = app.close.bind(app);
  const t: TestApp = Object.assign(app, {
    clock,
    backend,
    logs,
    close: async () => {
      await closeApp();
      await store.close();
    },
    async request(opts: InjectOptions) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      return app.http.inject({ method: opts.method, url: opts.url, payload: opts.payload as never, headers }) as never;
    },
    async signUp(fields: Record<string, unknown> = {}) {
      const n = ++counter;
      const body = { username: `user${n}_${process.pid}`, email: `user${n}_${process.pid}@example.com`, password: 'a sturdy passphrase 42', ...fields };
      const res = await app.http.inject({ method: 'POST', url: '/v1/auth/register', payload: body });
      if (res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
  });
  return t;
}
