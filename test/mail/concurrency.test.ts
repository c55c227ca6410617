import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { outboxStats } from '../../src/mail/outbox.js';
import { openStore, type Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { smtpWorker, testMailer } from './support/harness.js';
import { testConfig } from './support/setup.js';
import { SmtpSink } from './support/smtp-sink.js';

describe.each(backends)('two workers on one database (%s)', (backend) => {
  let stores: Store[];
  let sink: SmtpSink;
  const config = testConfig();

  beforeEach(async () => {
    const fresh = await freshStore(backend);
    // A second connection pool on the same database, as a second instance would have.
    const second = openStore(fresh.url, fresh.schema ? { schema: fresh.schema, poolSize: 5 } : {});
    stores = [fresh.store, second];
    sink = new SmtpSink();
    await sink.up();
  });

  afterEach(async () => {
    await sink.down();
    for (const s of stores) await s.close();
  });

  it('deliver 50 mails, each exactly once', async () => {
    const clock = new ManualClock();
    const mailer = testMailer(config, clock);
    for (let i = 0; i < 50; i++) {
      await mailer.enqueue(stores[0]!.db, { kind: 'password_reset', to: `user${i}@example.com`, data: { code: `code-${i}` } });
    }
    const workers = stores.map((s, n) => smtpWorker(s, sink, config, { clock, id: `w${n}`, batchSize: 5, concurrency: 3 }));
    const results = await Promise.all(workers.map((w) => w.drainOnce()));
    await Promise.all(workers.map((w) => w.stop()));

    expect(results[0]!.sent + results[1]!.sent).toBe(50);
    expect(results.every((r) => r.retried === 0 && r.failed === 0)).toBe(true);
    expect(sink.received).toHaveLength(50);
    const codes = sink.received.map((m) => /Your code: (code-\d+)/.exec(m.text ?? '')?.[1]);
    expect(new Set(codes).size).toBe(50);
    expect((await outboxStats(stores[0]!.db, 0)).counts).toEqual({ pending: 0, retry: 0, sent: 50, failed: 0 });
    if (backend === 'postgres') {
      // SKIP LOCKED lets both take work at the same time rather than one waiting on the other.
      expect(results[0]!.sent).toBeGreaterThan(0);
      expect(results[1]!.sent).toBeGreaterThan(0);
    }
  });
});
