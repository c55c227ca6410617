import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createCore, type Core } from '../../src/core/core.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/index.js';
import { freshStore, type BackendName } from './backends.js';

export interface TestCore {
  core: Core;
  clock: ManualClock;
  backend: BackendName;
  close(): Promise<void>;
}

/**
 * The core alone, with no HTTP server: a fresh migrated database of `backend`, a manual clock, a
 * memory cache and the real outbox mailer (mail lands in the `outbox` table). For unit tests of use
 * cases, which take the narrow context they need; a whole Core satisfies every one of them.
 */
export async function testCore(backend: BackendName, env: Record<string, string> = {}): Promise<TestCore> {
  const fresh = await freshStore(backend);
  const config = loadConfig({ GATEHOUSE_ENV: 'test', LOG_LEVEL: 'warn', ...env });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const log = createLogger(config, new Writable({ write: (_c, _e, cb) => cb() }));
  const cache = new MemoryCache({ clock });
  const mailer = createMailer(config, { clock });
  const core = await createCore({ config, db: fresh.store.db, cache, clock, mailer, log }, 'test-secret-key-'.padEnd(48, 'x'));
  return {
    core,
    clock,
    backend,
    async close() {
      await cache.close();
      await fresh.store.close();
      await fresh.drop();
    },
  };
}
