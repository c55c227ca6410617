import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/core/audit.js';
import { deleteExpiredRows, type CleanupContext } from '../../src/jobs/cleanup.js';
import { asOnlyCleaner } from '../../src/store/cleanup-repo.js';
import { backends } from '../support/backends.js';
import { testCore, type TestCore } from '../support/core.js';

const day = 86_400_000;

describe.each(backends)('the cleanup pass on %s', (backend) => {
  let t: TestCore;
  let ctx: CleanupContext;
  beforeAll(async () => {
    t = await testCore(backend);
    ctx = { db: t.core.db, clock: t.clock, log: t.core.log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: 30 * 86_400, settings: t.core.settings };
  });
  afterAll(() => t?.close());

  const auditCount = async () => (await t.core.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n;

  it('deletes audit events past their retention and keeps the rest', async () => {
    const retention = t.core.settings.get('audit_retention_days');
    await recordAudit(t.core.db, { kind: 'logout', at: t.clock.now() - (retention + 1) * day });
    await recordAudit(t.core.db, { kind: 'logout', at: t.clock.now() - (retention - 1) * day });
    const counts = await deleteExpiredRows(ctx);
    expect(counts?.audit_events).toBe(1);
    expect(Number(await auditCount())).toBe(1);
  });

  // PostgreSQL only: several instances share one server there; SQLite is one embedded file written by one process.
  it.runIf(backend === 'postgres')('a second pass while one is under way skips, and runs again once the first is done', async () => {
    let during: Awaited<ReturnType<typeof deleteExpiredRows>> | 'not run' = 'not run';
    const outer = await asOnlyCleaner(t.core.db, async () => {
      during = await deleteExpiredRows(ctx);
      return 'held';
    });
    expect(outer).toBe('held');
    expect(during).toBeUndefined();
    expect(await deleteExpiredRows(ctx)).toBeDefined();
  });

  // SQLite only, the counterpart of the test above: PostgreSQL's advisory lock makes the inner pass skip there.
  it.runIf(backend === 'sqlite')('a pass inside another runs: one process writes the file, there is nobody to skip for', async () => {
    let during: Awaited<ReturnType<typeof deleteExpiredRows>>;
    await asOnlyCleaner(t.core.db, async () => {
      during = await deleteExpiredRows(ctx);
    });
    expect(during!).toBeDefined();
  });
});
