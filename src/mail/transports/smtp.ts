import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { MailTransport, OutgoingMail } from '../transport.js';

export interface SmtpTransportOptions {
  maxConnections?: number;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * Pooled SMTP from an `smtp://` or `smtps://` URL; query parameters (`tls.rejectUnauthorized=false`,
 * `requireTLS=true`, `socketTimeout=…`) are nodemailer options and win over the defaults here.
 * Timeouts stay well under the worker's lease so a stuck send fails before another worker may take the row.
 */
export function createSmtpTransport(url: string, options: SmtpTransportOptions = {}): MailTransport {
  // Loaded only when chosen (SMTP_URL), synchronously so a bad URL still throws here.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transporter: Transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: options.connectionTimeoutMs ?? 15_000,
    greetingTimeout: options.greetingTimeoutMs ?? 15_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
  });
  return {
    name: 'smtp',
    async send(mail: OutgoingMail): Promise<void> {
      await transporter.sendMail({
        from: mail.from,
        // An address object, so nodemailer never parses the string (a display name, a list) into other mailboxes.
        to: { name: '', address: mail.to },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
