import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredRows, type CleanupContext, type CleanupCounts } from '../../src/jobs/cleanup.js';
import { CleanupThread } from '../../src/jobs/cleanup-thread.js';
import { openStore } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { testApp, type TestApp } from '../support/app.js';
import { backends } from '../support/backends.js';
import { eventually } from '../support/eventually.js';

const day = 86_400_000;
const oldAudit = 1500;

/** The same history on any database: old and recent audit events, expired and live sessions, spent codes, old mail. */
async function seedHistory(app: TestApp): Promise<void> {
  const db: Kysely<Database> = app.store.db;
  const now = app.clock.now();
  const userId = (await app.signUp()).user.id as number;
  // Older than the default 400-day audit retention, and a few inside it.
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${oldAudit})
    insert into audit_events (at, kind, ip, user_agent, detail) select cast(${now - 500 * day} as bigint) - i, 'test.old', '', '', '{}' from n`.execute(db);
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20)
    insert into audit_events (at, kind, ip, user_agent, detail) select cast(${now - day} as bigint) - i, 'test.recent', '', '', '{}' from n`.execute(db);
  const sessions = Array.from({ length: 260 }, (_, i) => {
    const expires_at = i < 240 ? now - 10 * day - i : now + 10 * day;
    return { id: `s${i}`, user_id: userId, kind: 'opaque', created_at: now - 40 * day, last_used_at: now - day, expires_at, ip: '', user_agent: '', revoked_at: null, revoke_reason: null };
  });
  await db.insertInto('sessions').values(sessions).execute();
  await db.insertInto('refresh_tokens').values(sessions.map((s) => ({ token_hash: `r-${s.id}`, session_id: s.id, created_at: now - 40 * day, expires_at: s.expires_at, rotated_at: null }))).execute();
  const codes = Array.from({ length: 150 }, (_, i) => ({
    id: `c${i}`, purpose: 'password_reset', user_id: userId, email: 'x@example.com', code_hash: `h${i}`, token_hash: `t${i}`,
    attempts: 0, created_at: now - 30 * day, expires_at: i < 130 ? now - 10 * day : now + day, consumed_at: null,
  }));
  await db.insertInto('one_time_codes').values(codes as never).execute();
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 120)
    insert into outbox (kind, to_addr, subject, text_body, html_body, status, attempts, next_attempt_at, created_at, sent_at)
    select 'test', 'someone@example.com', 'old', '', '', 'sent', 0, cast(${now - 60 * day} as bigint), cast(${now - 60 * day} as bigint), cast(${now - 60 * day} as bigint) from n`.execute(db);
}

const left = async (db: Kysely<Database>) => {
  const n = async (table: 'audit_events' | 'sessions' | 'refresh_tokens' | 'one_time_codes' | 'outbox') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
  return { audit_events: await n('audit_events'), sessions: await n('sessions'), refresh_tokens: await n('refresh_tokens'), one_time_codes: await n('one_time_codes'), outbox: await n('outbox') };
};

const contextOf = (app: TestApp, thread?: CleanupThread): CleanupContext => ({
  db: app.store.db, clock: app.clock, log: app.core.log, retentionSeconds: 7 * 86_400, sessionIdleSeconds: app.config.sessionIdleSeconds,
  settings: app.core.settings, batchSize: 50, maxBatches: 1000, thread,
});

describe.each(backends)('where the cleanup pass runs on %s', (backend) => {
  it(backend === 'sqlite' ? 'a SQLite file names its file, for the cleanup thread' : 'PostgreSQL names no file: its pass runs in-process', async () => {
    const app = await testApp(backend);
    try {
      if (backend === 'sqlite') expect(app.store.sqliteFile).toMatch(/test\.db$/);
      else expect(app.store.sqliteFile).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe.runIf(backends.includes('sqlite'))('cleanup on its own thread (SQLite file)', () => {
  let app: TestApp;
  let twin: TestApp;
  let thread: CleanupThread;
  let token: string;
  beforeAll(async () => {
    [app, twin] = await Promise.all([testApp('sqlite'), testApp('sqlite')]);
    await Promise.all([seedHistory(app), seedHistory(twin)]);
    token = (await app.signUp()).access_token;
    await twin.signUp(); // the same rows on both
    thread = new CleanupThread(app.store.sqliteFile!, app.core.log);
  });
  afterAll(async () => {
    await thread?.close();
    await app?.close();
    await twin?.close();
  });

  it(':memory: names no file: one connection owns it, so its pass stays in-process', async () => {
    const store = openStore('sqlite::memory:');
    expect(store.sqliteFile).toBeUndefined();
    await store.close();
  });

  it('deletes on the thread what the in-process pass deletes, while the event loop keeps serving', async () => {
    const inProcess = await deleteExpiredRows(contextOf(twin));
    expect(inProcess!.audit_events).toBe(oldAudit);

    app.queries.reset();
    let ticks = 0;
    let served = 0;
    let done = false;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const serve = (async () => {
      while (!done) {
        const res = await app.request({ method: 'GET', url: '/v1/me', token });
        expect(res.statusCode).toBe(200);
        served++;
        // inject() can answer within microtasks; a turn of the loop between requests lets the rest run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let workerThread: number | undefined;
    const pass = deleteExpiredRows(contextOf(app, thread)).finally(() => (done = true));
    await eventually('the cleanup thread to start', () => (workerThread = thread.worker?.threadId) !== undefined);
    const counts = await pass;
    await serve;

    expect(counts).toEqual(inProcess);
    expect(await left(app.store.db)).toEqual(await left(twin.store.db));
    expect(workerThread).not.toBe(threadId);
    // No delete went through the server's own connection: the pass ran on the thread's.
    expect(app.queries.seen.filter((kind) => kind === 'DeleteQueryNode')).toEqual([]);
    // Between the pass's start and its end the event loop turned and answered requests.
    expect(ticks).toBeGreaterThan(10);
    expect(served).toBeGreaterThan(0);
    // What the pass reports is the same as in-process: the log line with the counts.
    expect(app.logs.some((line) => line.includes('cleanup: expired rows deleted') && line.includes(`"audit_events":${oldAudit}`))).toBe(true);
  });

  it('a thread that dies mid-pass is logged, fails that pass, and the next pass runs on a new one', async () => {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${oldAudit})
      insert into audit_events (at, kind, ip, user_agent, detail) select cast(${app.clock.now() - 500 * day} as bigint) - i, 'test.crash', '', '', '{}' from n`.execute(app.store.db);
    const oldLeft = async () => Number((await app.store.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number | string>().as('n')).where('kind', '=', 'test.crash').executeTakeFirstOrThrow()).n);
    const pass = deleteExpiredRows({ ...contextOf(app, thread), batchSize: 10 });
    const failed = pass.then(() => 'resolved', (err: Error) => err.message);
    await eventually('the pass to be under way', async () => (await oldLeft()) < oldAudit);
    const first = thread.worker!;
    await first.terminate();
    expect(await failed).toMatch(/cleanup thread exited/);
    expect(app.logs.some((line) => line.includes('cleanup thread exited; the next pass starts a new one'))).toBe(true);
    expect(await oldLeft()).toBeGreaterThan(0);

    const counts = (await deleteExpiredRows(contextOf(app, thread))) as CleanupCounts;
    expect(thread.worker).toBeDefined();
    expect(thread.worker).not.toBe(first);
    expect(counts.audit_events).toBeGreaterThan(0);
    expect(await oldLeft()).toBe(0);
  });

  it('a thread that cannot start is logged as crashed, and the next pass tries a new one', async () => {
    // The database's folder is, at first, a link to a plain file: the thread's connection cannot open.
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cleanup-'));
    const link = join(dir, 'db');
    writeFileSync(join(dir, 'not-a-folder'), '');
    symlinkSync(join(dir, 'not-a-folder'), link);
    const broken = new CleanupThread(join(link, 'test.db'), app.core.log);
    try {
      await expect(deleteExpiredRows(contextOf(app, broken))).rejects.toThrow();
      expect(app.logs.some((line) => line.includes('cleanup thread crashed; the next pass starts a new one'))).toBe(true);
      rmSync(link);
      symlinkSync(dirname(app.store.sqliteFile!), link);
      expect(await deleteExpiredRows(contextOf(app, broken))).toBeDefined();
    } finally {
      await broken.close();
    }
  });

  it('closing ends the pass in progress after its batch, with what it deleted reported, and the thread', async () => {
    const closing = new CleanupThread(app.store.sqliteFile!, app.core.log);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${oldAudit})
      insert into audit_events (at, kind, ip, user_agent, detail) select cast(${app.clock.now() - 500 * day} as bigint) - i, 'test.close', '', '', '{}' from n`.execute(app.store.db);
    const pass = deleteExpiredRows({ ...contextOf(app, closing), batchSize: 10 });
    await eventually('the cleanup thread to start', () => closing.worker !== undefined);
    const worker = closing.worker!;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await closing.close();
    const counts = await pass;
    await exited;
    expect(counts!.audit_events).toBeLessThan(oldAudit);
    expect(closing.worker).toBeUndefined();
    await expect(closing.run({ now: 0, retentionSeconds: 0, sessionIdleSeconds: 0, retentionDays: { audit_retention_days: 1, outbox_retention_days: 1 } })).rejects.toThrow(/closed/);
  });
});
