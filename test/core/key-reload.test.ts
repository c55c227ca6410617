import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

describe.each(backends)('signing-key background reload on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  it('a database error during a background key reload does not crash the process and is logged', async () => {
    const rejections: unknown[] = [];
    const logged = vi.spyOn(t.core.log, 'error');
    // The reload either ends unhandled (the process would exit on Node 20) or is logged, whichever comes.
    let settled!: () => void;
    const outcome = new Promise<void>((resolve) => (settled = resolve));
    const onRejection = (reason: unknown) => {
      rejections.push(reason);
      settled();
    };
    process.on('unhandledRejection', onRejection);
    logged.mockImplementation(() => settled());
    const before = t.core.keys.signingKey();
    // The table gone stands for any database error at the moment of the reload.
    await sql`alter table signing_keys rename to signing_keys_away`.execute(t.core.db);
    try {
      t.clock.advance(61);
      // Starts the background reload (its key is a minute old) and still signs with the key it has.
      expect(t.core.keys.signingKey().kid).toBe(before.kid);
      await outcome;
      expect(rejections).toEqual([]);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.anything() }), expect.stringContaining('reload'));
    } finally {
      process.off('unhandledRejection', onRejection);
      logged.mockRestore();
      await sql`alter table signing_keys_away rename to signing_keys`.execute(t.core.db);
    }
    // Once the database answers again the next reload succeeds.
    t.clock.advance(61);
    t.core.keys.signingKey();
    expect(await t.core.keys.verifyingKey(before.kid)).toBeDefined();
  });
});
