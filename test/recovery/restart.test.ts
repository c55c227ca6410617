import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type Gatehouse } from '../../src/app.js';
import { MemoryCache } from '../../src/cache/memory.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { codeAndToken } from './support.js';

describe.each(backends)('reset state survives a restart on %s', (backend) => {
  let store: Store | undefined;
  const apps: Gatehouse[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await store?.close();
  });

  it('a request made before a restart (cache lost) verifies and resets after it, with its attempts kept', async () => {
    ({ store } = await freshStore(backend));
    const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-restart-')), LOG_LEVEL: 'silent' });
    const clock = new ManualClock(Date.now());
    // Each start gets a new memory cache: only the database carries state across.
    const start = async () => {
      const app = await createApp(config, { clock, store, cache: new MemoryCache({ clock }), log: createLogger(config), mailWorker: false });
      apps.push(app);
      return app;
    };
    const inject = (app: Gatehouse, url: string, payload: unknown) => app.http.inject({ method: 'POST', url, payload: payload as never });

    const first = await start();
    const email = 'restart@example.com';
    expect((await inject(first, '/v1/auth/register', { username: 'restart', email, password: 'a sturdy passphrase 42' })).statusCode).toBe(201);
    const { request_id } = (await inject(first, '/v1/auth/password/forgot', { email })).json();
    const mail = await store!.db.selectFrom('outbox').select('text_body').where('kind', '=', 'password_reset').executeTakeFirstOrThrow();
    const { code } = codeAndToken(mail.text_body);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await inject(first, '/v1/auth/password/verify', { request_id, otp: wrong })).json().code).toBe('otp_invalid');
    await first.close();

    const second = await start();
    const row = await store!.db.selectFrom('one_time_codes').select('attempts').executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    const verified = await inject(second, '/v1/auth/password/verify', { request_id, otp: code });
    expect(verified.statusCode).toBe(200);
    await second.close();

    const third = await start();
    expect((await inject(third, '/v1/auth/password/reset', { grant: verified.json().grant, new_password: 'a brand new phrase 17' })).statusCode).toBe(204);
    expect((await inject(third, '/v1/auth/login', { login: email, password: 'a brand new phrase 17' })).statusCode).toBe(200);
  });
});
