import { afterEach, describe, expect, it } from 'vitest';
import { deleteExpiredRows } from '../../src/jobs/cleanup.js';
import { createLogger } from '../../src/logger.js';
import type { Gatehouse } from '../../src/app.js';
import { backends } from '../support/backends.js';
import { post, restartable, type Restartable } from '../support/restarts.js';
import { testPassword } from '../support/passwords.js';

describe.each(backends)('reset decoys on %s', (backend) => {
  let r: Restartable | undefined;
  afterEach(async () => {
    await r?.close();
  });

  it('attack: reset decoys are forgotten before real requests are', async () => {
    r = await restartable(backend);
    const { store, clock, config, start } = r;
    const inject = post;
    const known = 'known@example.com';
    const unknown = 'nobody@example.com';

    const first = await start();
    expect((await inject(first, '/v1/auth/register', { username: 'known', email: known, password: testPassword })).statusCode).toBe(201);
    const ids: Record<string, string> = {};
    for (const email of [known, unknown]) ids[email] = (await inject(first, '/v1/auth/password/forgot', { email })).json().request_id;
    // A wrong code for both; "0000000" never matches a 6-digit code.
    const guess = async (app: Gatehouse, email: string, by: 'id' | 'email') =>
      (await inject(app, '/v1/auth/password/verify', by === 'id' ? { request_id: ids[email], otp: '0000000' } : { email, otp: '0000000' })).json().code as string;
    const both = async (app: Gatehouse, by: 'id' | 'email') => [await guess(app, known, by), await guess(app, unknown, by)];

    for (let i = 0; i < 3; i++) expect(await both(first, 'id')).toEqual(['otp_invalid', 'otp_invalid']);
    await first.close();

    // After a restart (cache gone) the decoy still counts the guesses made before it.
    const second = await start();
    expect(await both(second, 'email')).toEqual(['otp_invalid', 'otp_invalid']);
    expect(await both(second, 'id')).toEqual(['otp_attempts_exceeded', 'otp_attempts_exceeded']);
    expect(await both(second, 'email')).toEqual(['otp_attempts_exceeded', 'otp_attempts_exceeded']);
    await second.close();

    // Two days on, past the code's life but inside the 7-day retention: both still answer alike.
    clock.advance(2 * 86400);
    const third = await start();
    expect(await both(third, 'id')).toEqual(['otp_expired', 'otp_expired']);

    // The cleanup job prunes decoys by the rule it prunes real requests by.
    const prune = () => deleteExpiredRows({ db: store.db, clock, log: createLogger(config), retentionSeconds: 7 * 86400, sessionIdleSeconds: 30 * 86400 });
    await prune();
    expect(await store.db.selectFrom('reset_decoys').select('id').execute()).toHaveLength(1);
    expect(await store.db.selectFrom('one_time_codes').select('id').execute()).toHaveLength(1);
    clock.advance(6 * 86400);
    await prune();
    expect(await store.db.selectFrom('reset_decoys').select('id').execute()).toHaveLength(0);
    expect(await store.db.selectFrom('one_time_codes').select('id').execute()).toHaveLength(0);
    expect(await both(third, 'id')).toEqual(['otp_invalid', 'otp_invalid']);
  });
});
