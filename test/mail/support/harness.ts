import type { Config } from '../../../src/config.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createMailer } from '../../../src/mail/mailer.js';
import { createSmtpTransport } from '../../../src/mail/transports/smtp.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../../../src/mail/worker.js';
import type { Store } from '../../../src/store/db.js';
import type { SmtpSink } from './smtp-sink.js';

/** A worker on `store` sending to `sink` over pooled SMTP, on the test's clock. */
export function smtpWorker(store: Store, sink: SmtpSink, config: Config, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  return new OutboxWorker({
    db: store.db,
    transport: createSmtpTransport(sink.url, { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 5000 }),
    from: config.mailFrom,
    // Full delay (no jitter) so tests know when a retry is due.
    backoff: { random: () => 0.999999 },
    ...options,
  });
}

export function testMailer(config: Config, clock: ManualClock) {
  return createMailer(config, { clock });
}

export async function outboxRows(store: Store) {
  return store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}
