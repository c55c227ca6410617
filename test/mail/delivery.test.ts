import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createMailer } from '../../src/mail/mailer.js';
import { outboxStats, retryMail } from '../../src/mail/outbox.js';
import type { OutboxWorker } from '../../src/mail/worker.js';
import type { Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { outboxRows, smtpWorker, testMailer } from './support/harness.js';
import { eventually } from '../support/eventually.js';
import { testConfig } from './support/setup.js';
import { SmtpSink } from './support/smtp-sink.js';

describe.each(backends)('outbox delivery over SMTP (%s)', (backend) => {
  let store: Store;
  let sink: SmtpSink;
  let clock: ManualClock;
  const workers: OutboxWorker[] = [];
  const config = testConfig({ GATEHOUSE_RESET_URL: 'https://app.acme.test/reset?token={token}' });

  beforeEach(async () => {
    ({ store } = await freshStore(backend));
    sink = new SmtpSink();
    await sink.up();
    clock = new ManualClock(Date.UTC(2026, 0, 1));
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await sink.down();
    await store.close();
  });

  const worker = (options: Parameters<typeof smtpWorker>[3] = {}) => {
    const w = smtpWorker(store, sink, config, { clock, ...options });
    workers.push(w);
    return w;
  };

  it('delivers a reset mail with the right recipient, subject, code and link', async () => {
    const mailer = testMailer(config, clock);
    await mailer.enqueue(store.db, { kind: 'password_reset', to: 'ann@example.com', data: { name: 'Ann', code: '482913', token: 'tok-123', minutes: '15' } });
    const [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: clock.now(), created_at: clock.now(), to_addr: 'ann@example.com' });

    expect(await worker().drainOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : undefined).toBe('ann@example.com');
    expect(mail.from?.value[0]).toEqual({ address: 'no-reply@acme.test', name: 'Acme ID' });
    expect(mail.subject).toBe('Reset your Acme ID password');
    expect(mail.text).toContain('Your code: 482913');
    expect(mail.text).toContain('https://app.acme.test/reset?token=tok-123');
    expect(mail.text).toContain('15 minutes');
    expect(mail.html).toContain('href="https://app.acme.test/reset?token=tok-123"');
    expect(mail.messageId).toBe(`<outbox.${row!.id}.${row!.created_at}@acme.test>`);

    const [sent] = await outboxRows(store);
    // Bodies held the live code and link; once delivered they are blanked.
    expect(sent).toMatchObject({ status: 'sent', sent_at: clock.now(), claimed_by: null, claimed_until: null, text_body: '', html_body: '' });
    expect((await outboxStats(store.db, 0)).counts).toEqual({ pending: 0, retry: 0, sent: 1, failed: 0 });
  });

  it('sends nothing for a request whose transaction rolls back', async () => {
    const mailer = testMailer(config, clock);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await mailer.enqueue(trx, { kind: 'password_changed', to: 'ann@example.com', data: {} });
        throw new Error('the use case failed after enqueueing');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await outboxRows(store)).toEqual([]);
    expect(await worker().drainOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(sink.received).toEqual([]);
  });

  it('retries with backoff while SMTP is down or refusing, then delivers', async () => {
    const mailer = testMailer(config, clock);
    const w = worker();
    await sink.down();
    await mailer.enqueue(store.db, { kind: 'account_activated', to: 'bob@example.com', data: {} });

    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'retry', attempts: 1, claimed_by: null, claimed_until: null });
    expect(row!.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(row!.next_attempt_at - clock.now()).toBeGreaterThan(29_000);
    expect(row!.next_attempt_at - clock.now()).toBeLessThanOrEqual(30_000);

    // Not due yet: nothing is tried.
    clock.advance(29);
    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });

    clock.advance(1);
    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await outboxRows(store);
    expect(row!.attempts).toBe(2);
    expect(row!.next_attempt_at - clock.now()).toBeGreaterThan(59_000); // doubled

    // Back up but answering 451 to every sender.
    await sink.up();
    sink.mode = 'reject';
    clock.advance(60);
    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'retry', attempts: 3 });
    expect(row!.last_error).toMatch(/451/);
    expect(row!.next_attempt_at - clock.now()).toBeGreaterThan(119_000);

    sink.mode = 'accept';
    clock.advance(120);
    expect(await w.drainOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received.map((m) => m.subject)).toEqual(['Your Acme ID account is active']);
    [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('gives up after max attempts with last_error; retryMail puts it back and it is delivered', async () => {
    const mailer = testMailer(config, clock);
    const w = worker({ maxAttempts: 3 });
    await sink.down();
    await mailer.enqueue(store.db, { kind: 'password_changed', to: 'cy@example.com', data: {} });

    expect(await w.drainOnce()).toMatchObject({ retried: 1 });
    clock.advance(30);
    expect(await w.drainOnce()).toMatchObject({ retried: 1 });
    clock.advance(60);
    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 0, failed: 1 });
    let [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, claimed_by: null });
    expect(row!.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
    expect(row!.text_body).toContain('password of your Acme ID account was just changed'); // kept for a retry
    expect((await outboxStats(store.db, 0)).counts).toEqual({ pending: 0, retry: 0, sent: 0, failed: 1 });

    // Failed is final: time passing does not bring it back.
    clock.advance(24 * 3600);
    expect(await w.drainOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });

    await sink.up();
    expect(await retryMail(store.db, row!.id, clock)).toBe(true);
    [row] = await outboxRows(store);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: clock.now() });
    expect(await w.drainOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.subject).toBe('Your Acme ID password was changed');

    expect(await retryMail(store.db, row!.id, clock)).toBe(false); // sent, not failed
    expect(await retryMail(store.db, 999_999, clock)).toBe(false);
  });

  it('stop() lets the send in flight finish and releases the rows it had not started', async () => {
    const mailer = testMailer(config, clock);
    for (const to of ['a@example.com', 'b@example.com', 'c@example.com']) {
      await mailer.enqueue(store.db, { kind: 'password_changed', to, data: {} });
    }
    const w = worker({ concurrency: 1, batchSize: 10 });
    sink.acceptDelayMs = 300;
    const firstDataStarted = new Promise<void>((resolve) => (sink.onDataStart = resolve));
    const draining = w.drainOnce();
    await firstDataStarted;
    const stopped = w.stop();
    expect(await draining).toEqual({ sent: 1, retried: 0, failed: 0 });
    await stopped;

    const rows = await outboxRows(store);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'pending', 'pending']);
    expect(rows.slice(1).every((r) => r.claimed_by === null && r.claimed_until === null)).toBe(true);

    // Released, not leased: another worker takes them at once.
    sink.acceptDelayMs = 0;
    expect(await worker().drainOnce()).toMatchObject({ sent: 2 });
    expect(sink.received.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '')).sort()).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
  });

  it('start() polls, and notify() sends at once without waiting for the poll', async () => {
    const w = smtpWorker(store, sink, config, { pollMs: 60_000 }); // real clock: the loop runs on real timers
    workers.push(w);
    const mailer = createMailer(config, { onEnqueue: () => w.notify() });
    await mailer.enqueue(store.db, { kind: 'password_changed', to: 'first@example.com', data: {} });
    w.start(); // the first poll runs at once
    await sink.waitFor(1, 5000);

    await store.db.transaction().execute((trx) => mailer.enqueue(trx, { kind: 'password_changed', to: 'second@example.com', data: {} }));
    await sink.waitFor(2, 5000); // far sooner than the 60 s poll
    await eventually('the outbox to count both sent', async () => expect((await outboxStats(store.db, 0)).counts).toMatchObject({ sent: 2, pending: 0 }));
  });
});
