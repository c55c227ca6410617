import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditBuffer } from '../../src/core/audit-buffer.js';
import type { AuditEvent } from '../../src/core/audit.js';
import { capturingLogger } from '../cache/support.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends, freshStore } from '../support/backends.js';
import { eventually } from '../support/eventually.js';

describe.each(backends)('audit rows written in batches (AuditBuffer) on %s', (backend) => {
  let app: TestApp;
  let n = 0;

  beforeAll(async () => {
    app = await testApp(backend);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => app.queries.reset());

  // Each test's rows carry their own client id, so counts never mix.
  const event = (tag: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({ kind: 'oidc.grant', at: app.clock.now(), ip: '203.0.113.9', userAgent: 'batch-test', detail: { client_id: tag, n: ++n }, ...extra });
  const rowsOf = async (tag: string) => (await app.store.db.selectFrom('audit_events').select(['kind', 'ip', 'user_agent', 'detail', 'user_id']).where('detail', 'like', `%"client_id":"${tag}"%`).orderBy('id').execute());
  const inserts = () => app.queries.seen.filter((kind) => kind === 'InsertQueryNode').length;

  it('writes what waits in one INSERT per batch, every field as recordAudit writes it', async () => {
    const logger = capturingLogger();
    const buffer = new AuditBuffer({ db: app.store.db, log: logger.log }, { flushMs: 60_000, maxBatch: 50 });
    for (let i = 0; i < 120; i++) buffer.record(event('batch-a', i === 0 ? { userId: null, userAgent: 'x'.repeat(600), detail: { client_id: 'batch-a', odd: 'é\u0000😀' } } : {}));
    expect(buffer.pending).toBeGreaterThan(0);
    await buffer.flush();
    expect(buffer.pending).toBe(0);
    const rows = await rowsOf('batch-a');
    expect(rows).toHaveLength(120);
    // 120 rows at 50 a batch: three statements, not 120.
    expect(inserts()).toBe(3);
    expect(rows[0]).toMatchObject({ kind: 'oidc.grant', ip: '203.0.113.9', user_id: null });
    expect(rows[0]!.user_agent).toHaveLength(512);
    expect(JSON.parse(rows[0]!.detail)).toEqual({ client_id: 'batch-a', odd: 'é\u0000😀' });
    expect(logger.lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('a full batch is written without waiting for the timer', async () => {
    const buffer = new AuditBuffer({ db: app.store.db, log: capturingLogger().log }, { flushMs: 60_000, maxBatch: 10 });
    for (let i = 0; i < 10; i++) buffer.record(event('batch-full'));
    await eventually('the full batch written', async () => (await rowsOf('batch-full')).length === 10);
    await buffer.close();
  });

  it('rows short of a batch are written after flushMs, with no flush called', async () => {
    const buffer = new AuditBuffer({ db: app.store.db, log: capturingLogger().log }, { flushMs: 20, maxBatch: 1000 });
    buffer.record(event('batch-timer'));
    buffer.record(event('batch-timer'));
    await eventually('the timer wrote them', async () => (await rowsOf('batch-timer')).length === 2);
    expect(inserts()).toBe(1);
    await buffer.close();
  });

  it('close() writes every row still waiting, and a row recorded after it is written at once', async () => {
    const buffer = new AuditBuffer({ db: app.store.db, log: capturingLogger().log }, { flushMs: 60_000, maxBatch: 1000 });
    for (let i = 0; i < 7; i++) buffer.record(event('batch-close'));
    await buffer.close();
    expect(await rowsOf('batch-close')).toHaveLength(7);
    buffer.record(event('batch-close'));
    await eventually('the late row written', async () => (await rowsOf('batch-close')).length === 8);
  });

  it('holds at most maxBuffered rows: more are dropped, counted and logged, the rest written', async () => {
    const logger = capturingLogger();
    const buffer = new AuditBuffer({ db: app.store.db, log: logger.log }, { flushMs: 60_000, maxBatch: 100, maxBuffered: 5 });
    for (let i = 0; i < 8; i++) buffer.record(event('batch-bound'));
    expect(buffer.pending).toBe(5);
    await buffer.close();
    expect(await rowsOf('batch-bound')).toHaveLength(5);
    expect(logger.lines.find((l) => l.level === 40 && /dropped/.test(l.msg))).toMatchObject({ rows: 3 });
  });

  it('a write that fails is logged with its row count, never thrown, and the buffer goes on', async () => {
    const gone = await freshStore(backend);
    await gone.store.close();
    const logger = capturingLogger();
    const buffer = new AuditBuffer({ db: gone.store.db, log: logger.log }, { flushMs: 60_000 });
    buffer.record(event('batch-fail'));
    buffer.record(event('batch-fail'));
    await expect(buffer.close()).resolves.toBeUndefined();
    expect(buffer.pending).toBe(0);
    expect(logger.lines.find((l) => l.level === 40 && /not written/.test(l.msg))).toMatchObject({ rows: 2, kinds: ['oidc.grant'] });
    await gone.drop();
  });
});
