import { setImmediate as nextTurn } from 'node:timers';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { deleteExpiredRows, type CleanupContext } from '../../src/jobs/cleanup.js';
import type { Database } from '../../src/store/schema.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends, freshStore, type FreshStore } from '../support/backends.js';
import { QueryCounter } from '../support/query-counter.js';

const day = 86_400_000;

/** `count` audit events, all older than `at`, in one statement (as the bench seeds history). */
async function seedAudit(db: Kysely<Database>, count: number, at: number): Promise<void> {
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into audit_events (at, kind, ip, user_agent, detail) select cast(${at} as bigint) - i, 'test.old', '', '', '{}' from n`.execute(db);
}

/** `count` outbox rows of one status, due (and, when sent, sent) at `at`, in one statement. */
async function seedMail(db: Kysely<Database>, count: number, status: string, at: number): Promise<void> {
  const sentAt = status === 'sent' ? at : null;
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into outbox (kind, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at, created_at, sent_at)
    select 'test', 'someone@example.com', 'old', '', '', cast(${status} as text), 0, cast(${at} as bigint), cast(${at} as bigint), cast(${sentAt} as bigint) from n`.execute(db);
}

const countRows = async (db: Kysely<Database>, table: 'audit_events' | 'outbox', status?: string) => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (status) q = q.where('status' as never, '=', status as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe.each(backends)('audit and mail retention on %s', (backend) => {
  let app: TestApp;
  let ctx: CleanupContext;
  beforeAll(async () => {
    app = await testApp(backend);
    await app.signUp();
    ctx = {
      db: app.store.db, clock: app.clock, log: app.core.log,
      retentionSeconds: 7 * 86_400, sessionIdleSeconds: app.config.sessionIdleSeconds, settings: app.core.settings,
    };
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(async () => {
    await app.core.settings.update({ audit_retention_days: 400, outbox_retention_days: 30 }, null);
  });

  async function audit(ageMs: number): Promise<number> {
    const row = await app.store.db.insertInto('audit_events')
      .values({ at: app.clock.now() - ageMs, kind: 'test.retention', user_id: null, actor_id: null, ip: '', user_agent: '', detail: '{}' })
      .returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async function mail(status: string, dueAgoMs: number, sentAgoMs?: number): Promise<number> {
    const now = app.clock.now();
    const row = await app.store.db.insertInto('outbox').values({
      kind: 'test', to_addr: 'someone@example.com', subject: 's', text_body: '', html_body: '', status, attempts: status === 'failed' ? 5 : 0,
      next_attempt_at: now - dueAgoMs, created_at: now - dueAgoMs, sent_at: sentAgoMs === undefined ? null : now - sentAgoMs,
    }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  }

  const auditExists = async (id: number) => (await app.store.db.selectFrom('audit_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  const mailLeft = async (ids: number[]) =>
    (await app.store.db.selectFrom('outbox').select('id').where('id', 'in', ids).orderBy('id').execute()).map((r) => Number(r.id));

  it('deletes audit events older than the retention (400 days by default) and keeps younger ones', async () => {
    expect(app.core.settings.get('audit_retention_days')).toBe(400);
    const old = await audit(401 * day);
    const young = await audit(399 * day);
    const recent = await audit(day);
    const counts = await deleteExpiredRows(ctx);
    expect(counts?.audit_events).toBe(1);
    expect(await auditExists(old)).toBe(false);
    expect(await auditExists(young)).toBe(true);
    expect(await auditExists(recent)).toBe(true);
  });

  it('applies a changed retention on the next pass, without a restart', async () => {
    const fortyDays = await audit(40 * day);
    await deleteExpiredRows(ctx);
    expect(await auditExists(fortyDays)).toBe(true);
    await app.core.settings.update({ audit_retention_days: 30 }, null);
    await deleteExpiredRows(ctx);
    expect(await auditExists(fortyDays)).toBe(false);
  });

  it('refuses a retention outside its range and keeps the old one', async () => {
    for (const bad of [0, -1, 1.5, '30', null, 100_000]) {
      await expect(app.core.settings.update({ audit_retention_days: bad }, null)).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(app.core.settings.update({ outbox_retention_days: bad }, null)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect(app.core.settings.get('audit_retention_days')).toBe(400);
    expect(app.core.settings.get('outbox_retention_days')).toBe(30);
  });

  it('deletes sent and failed mail after the mail retention, and never mail still queued', async () => {
    const sentOld = await mail('sent', 31 * day, 31 * day);
    const sentLate = await mail('sent', 40 * day, 2 * day); // due long ago, sent only two days ago
    const failedOld = await mail('failed', 31 * day);
    const failedRecent = await mail('failed', 2 * day);
    const pendingAncient = await mail('pending', 500 * day);
    const retryAncient = await mail('retry', 500 * day);
    const all = [sentOld, sentLate, failedOld, failedRecent, pendingAncient, retryAncient];
    const counts = await deleteExpiredRows(ctx);
    expect(counts?.outbox).toBe(2);
    expect(await mailLeft(all)).toEqual([sentLate, failedRecent, pendingAncient, retryAncient]);

    await app.core.settings.update({ outbox_retention_days: 1 }, null);
    await deleteExpiredRows(ctx);
    expect(await mailLeft(all)).toEqual([pendingAncient, retryAncient]);
  });
});

describe.each(backends)('batched cleanup on %s', (backend) => {
  let fresh: FreshStore;
  let clock: ManualClock;
  const log = pino({ level: 'silent' });
  const context = (db: Kysely<Database>, limits: Pick<CleanupContext, 'batchSize' | 'maxBatches'>): CleanupContext => ({
    db, clock, log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: 30 * 86_400, ...limits,
  });
  beforeAll(async () => {
    fresh = await freshStore(backend);
    clock = new ManualClock();
  });
  afterAll(async () => {
    await fresh?.store.close();
    await fresh?.drop();
  });

  it('deletes a backlog in bounded statements, letting other work run between them', async () => {
    const counter = new QueryCounter();
    const db = fresh.store.db.withPlugin(counter);
    const deletes = () => counter.seen.filter((kind) => kind === 'DeleteQueryNode').length;
    // With nothing to delete, each rule costs one statement.
    await deleteExpiredRows(context(db, { batchSize: 1000, maxBatches: 10 }));
    const idle = deletes();

    await seedAudit(fresh.store.db, 5500, clock.now() - 500 * day);
    counter.reset();
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) nextTurn(turn);
    };
    nextTurn(turn);
    const counts = await deleteExpiredRows(context(db, { batchSize: 1000, maxBatches: 10 }));
    done = true;
    expect(counts?.audit_events).toBe(5500);
    expect(await countRows(fresh.store.db, 'audit_events')).toBe(0);
    // 5 full batches and the last 500: five statements more than an idle pass.
    expect(deletes()).toBe(idle + 5);
    // The event loop turned between statements (SQLite runs each on it), so requests are not held up.
    expect(turns).toBeGreaterThanOrEqual(6);
  });

  it('stops a pass after its batch cap; the next passes take the rest', async () => {
    await seedAudit(fresh.store.db, 5500, clock.now() - 500 * day);
    const limits = { batchSize: 1000, maxBatches: 2 };
    const passes: number[] = [];
    for (let i = 0; i < 4; i++) passes.push((await deleteExpiredRows(context(fresh.store.db, limits)))!.audit_events);
    expect(passes).toEqual([2000, 2000, 1500, 0]);
  });

  it('never deletes queued mail, however old, while it clears finished mail in batches', async () => {
    const old = clock.now() - 500 * day;
    await seedMail(fresh.store.db, 1500, 'pending', old);
    await seedMail(fresh.store.db, 1500, 'retry', old);
    await seedMail(fresh.store.db, 2500, 'sent', old);
    await seedMail(fresh.store.db, 1200, 'failed', old);
    const counts = await deleteExpiredRows(context(fresh.store.db, { batchSize: 500, maxBatches: 10 }));
    expect(counts?.outbox).toBe(3700);
    expect(await countRows(fresh.store.db, 'outbox', 'pending')).toBe(1500);
    expect(await countRows(fresh.store.db, 'outbox', 'retry')).toBe(1500);
    expect(await countRows(fresh.store.db, 'outbox')).toBe(3000);
  });
});
