import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type Gatehouse } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/db.js';
import { freshStore, type BackendName } from './backends.js';

export interface Restartable {
  store: Store;
  config: Config;
  clock: ManualClock;
  /** A new instance over the same database, with a new memory cache: only the database carries state across. */
  start(): Promise<Gatehouse>;
  /** Closes every instance started and the database. */
  close(): Promise<void>;
}

/** One database and clock that successive app instances share, for "survives a restart" tests. */
export async function restartable(backend: BackendName): Promise<Restartable> {
  const { store } = await freshStore(backend);
  const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-restart-')), LOG_LEVEL: 'silent' });
  const clock = new ManualClock(Date.now());
  const apps: Gatehouse[] = [];
  return {
    store,
    config,
    clock,
    async start() {
      const app = await createApp(config, { clock, store, cache: new MemoryCache({ clock }), log: createLogger(config), mailWorker: false });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps.splice(0)) await app.close();
      await store.close();
    },
  };
}

/** A JSON POST to one instance. */
export function post(app: Gatehouse, url: string, payload: unknown) {
  return app.http.inject({ method: 'POST', url, payload: payload as never });
}
