import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { MailTransport } from '../transport.js';
import { createFileTransport } from './file.js';
import { createSmtpTransport } from './smtp.js';

/** SMTP when `SMTP_URL` is set, else `.eml` files under `<data dir>/mail/` (the embedded default). */
export function createMailTransport(config: Config, log: Logger): MailTransport {
  if (config.smtpUrl !== undefined) return createSmtpTransport(config.smtpUrl);
  return createFileTransport({ dir: join(config.dataDir, 'mail'), log, logPreview: config.env !== 'production' });
}
