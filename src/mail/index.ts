import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/db.js';
import { createMailTransport } from './transports/index.js';
import { OutboxWorker, type OutboxWorkerOptions } from './worker.js';

export { createMailer, type MailerOptions } from './mailer.js';
export { loadTemplates, renderMail, type MailTemplate, type MailTemplates, type RenderedMail } from './templates.js';
export { outboxStats, retryMail, outboxStatuses, type OutboxStatus, type OutboxRow } from './outbox.js';
export { OutboxWorker, type OutboxWorkerOptions, type DrainResult } from './worker.js';
export type { MailTransport, OutgoingMail } from './transport.js';
export { createMailTransport } from './transports/index.js';
export { createSmtpTransport, type SmtpTransportOptions } from './transports/smtp.js';
export { createFileTransport, type FileTransportOptions } from './transports/file.js';

/** The server's worker: transport from config (SMTP or files), From from `MAIL_FROM`. */
export function createOutboxWorker(
  config: Config,
  store: Pick<Store, 'db'>,
  log: Logger,
  options: Partial<OutboxWorkerOptions> = {},
): OutboxWorker {
  return new OutboxWorker({
    db: store.db,
    transport: createMailTransport(config, log),
    from: config.mailFrom,
    log,
    ...options,
  });
}
