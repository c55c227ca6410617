import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTokenDays, deviceTokenFailed, deviceTokenForLogin, deviceTokensPerAccount, trustedDevice } from '../../src/core/device-tokens.js';
import { inTransaction } from '../../src/core/transaction.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';
import { account } from './support.js';

/** Device tokens as use cases: issue, trust, failure counting, the per-account cap; both backends. */
describe.each(backends)('device tokens (core) on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t.close());

  const issue = (userId: number) => inTransaction(t.core, (trx) => deviceTokenForLogin(t.core, trx, userId, undefined, t.clock.now()));

  it('trusts an issued token for its own account only, until it expires', async () => {
    const owner = await account(t);
    const other = await account(t);
    const token = await issue(owner.id);
    const device = await trustedDevice(t.core, token, owner.id, t.clock.now());
    expect(device).toMatchObject({ userId: owner.id, token });
    expect(await trustedDevice(t.core, token, other.id, t.clock.now())).toBeUndefined();
    expect(await trustedDevice(t.core, token, undefined, t.clock.now())).toBeUndefined();
    expect(await trustedDevice(t.core, `${token}x`, owner.id, t.clock.now())).toBeUndefined();
    expect(await trustedDevice(t.core, 'not a token!', owner.id, t.clock.now())).toBeUndefined();
    expect(await trustedDevice(t.core, 42, owner.id, t.clock.now())).toBeUndefined();
    // A login with it hands the same token back.
    expect(await inTransaction(t.core, (trx) => deviceTokenForLogin(t.core, trx, owner.id, device, t.clock.now()))).toBe(token);
    t.clock.advance(deviceTokenDays * 86_400 + 1);
    expect(await trustedDevice(t.core, token, owner.id, t.clock.now())).toBeUndefined();
  });

  it('counts wrong passwords against the token and deletes it at the lockout threshold; a login forgives them', async () => {
    const owner = await account(t);
    const token = await issue(owner.id);
    const threshold = t.core.settings.get('lockout_threshold');
    const device = (await trustedDevice(t.core, token, owner.id, t.clock.now()))!;
    for (let i = 0; i < threshold - 1; i++) await inTransaction(t.core, (trx) => deviceTokenFailed(t.core, trx, device));
    expect(await trustedDevice(t.core, token, owner.id, t.clock.now())).toBeDefined();
    await inTransaction(t.core, (trx) => deviceTokenForLogin(t.core, trx, owner.id, device, t.clock.now()));
    for (let i = 0; i < threshold - 1; i++) await inTransaction(t.core, (trx) => deviceTokenFailed(t.core, trx, device));
    expect(await trustedDevice(t.core, token, owner.id, t.clock.now())).toBeDefined();
    await inTransaction(t.core, (trx) => deviceTokenFailed(t.core, trx, device));
    expect(await trustedDevice(t.core, token, owner.id, t.clock.now())).toBeUndefined();
    // Counting against a deleted token does nothing.
    await inTransaction(t.core, (trx) => deviceTokenFailed(t.core, trx, device));
  });

  it('keeps an account\'s newest tokens: issuing one more drops the oldest', async () => {
    const owner = await account(t);
    const tokens: string[] = [];
    for (let i = 0; i <= deviceTokensPerAccount; i++) {
      tokens.push(await issue(owner.id));
      t.clock.advance(1);
    }
    expect(await trustedDevice(t.core, tokens[0], owner.id, t.clock.now())).toBeUndefined();
    for (const token of tokens.slice(1)) expect(await trustedDevice(t.core, token, owner.id, t.clock.now())).toBeDefined();
    const count = await t.core.db.selectFrom('device_tokens').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', owner.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(deviceTokensPerAccount);
  });

  it('drops an account\'s expired tokens when it issues one, with room left under the cap', async () => {
    const owner = await account(t);
    await issue(owner.id);
    t.clock.advance(deviceTokenDays * 86_400 + 1);
    await issue(owner.id);
    const count = await t.core.db.selectFrom('device_tokens').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', owner.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
