import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueMail, markMailSent } from '../../src/store/outbox-claims-repo.js';
import { insertOutboxMail, outboxStats } from '../../src/store/outbox-repo.js';
import { openTransaction } from '../../src/store/transaction.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

describe.each(backends)('outbox claims on %s', (backend) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await testCore(backend);
  });
  afterAll(() => t?.close());

  const queue = async (n: number) => {
    for (let i = 0; i < n; i++) await insertOutboxMail(t.core.db, { kind: 'test', to: `m${i}@example.com`, subject: 's', text: 't', html: 'h' }, t.clock.now());
  };
  const claim = (db: Parameters<typeof claimDueMail>[0], workerId: string, limit: number) =>
    claimDueMail(db, { workerId, now: t.clock.now(), leaseMs: 60_000, limit });

  it('leases each due mail to one worker until the lease runs out', async () => {
    await queue(4);
    const a = await claim(t.core.db, 'a', 3);
    const b = await claim(t.core.db, 'b', 3);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(1);
    expect(a.map((r) => r.id)).not.toContain(b[0]!.id);
    expect(await claim(t.core.db, 'c', 3)).toEqual([]);
    for (const row of [...a, ...b]) await markMailSent(t.core.db, row.id, t.clock.now());
    expect((await outboxStats(t.core.db, t.clock.now())).counts).toMatchObject({ pending: 0, sent: 4 });
  });

  // SQLite has one writer: a claim in an open write transaction makes the other wait (busy), so claimers never overlap there.
  it.runIf(backend === 'postgres')('two concurrent claimers take disjoint rows without waiting for each other', async () => {
    t.clock.advance(120);
    await queue(6);
    let second: Awaited<ReturnType<typeof claim>> = [];
    const first = await openTransaction(t.core.db, async (trx) => {
      const mine = await claim(trx, 'first', 3);
      // Still inside the first claim's transaction, its rows locked: the second skips them instead of waiting.
      second = await claim(t.core.db, 'second', 10);
      return mine;
    });
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(3);
    const firstIds = new Set(first.map((r) => r.id));
    expect(second.filter((r) => firstIds.has(r.id))).toEqual([]);
  });
});
