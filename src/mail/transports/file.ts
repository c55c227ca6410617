import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailTransport, OutgoingMail } from '../transport.js';

export interface FileTransportOptions {
  /** Folder the `.eml` files go to (created when missing). */
  dir: string;
  log: Logger;
  /**
   * Log the first lines of the text body, so a developer without a mail server can follow a
   * reset or verification flow. They hold live codes and links: off in production.
   */
  logPreview: boolean;
}

const previewLines = 6;
const previewChars = 500;

/** Writes each mail as an RFC 5322 `.eml` file and logs one line about it. */
export function createFileTransport(options: FileTransportOptions): MailTransport {
  // nodemailer loads on the first mail, not at start.
  let composer: Promise<Transporter> | undefined;
  let ready: Promise<unknown> | undefined;
  return {
    name: 'file',
    async send(mail: OutgoingMail): Promise<void> {
      ready ??= mkdir(options.dir, { recursive: true });
      await ready;
      composer ??= import('nodemailer').then((m) => m.default.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
      const info = await (await composer).sendMail({
        from: mail.from,
        // An address object, so nodemailer never parses the string (a display name, a list) into other mailboxes.
        to: { name: '', address: mail.to },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const file = join(options.dir, `${stamp}-${mail.outboxId}-${randomBytes(3).toString('hex')}.eml`);
      // Write then rename, so a reader watching the folder never opens half a message.
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
      const fields: Record<string, string> = { to: mail.to, subject: mail.subject, file };
      if (options.logPreview) fields.preview = preview(mail.text);
      options.log.info({ mail: fields }, `mail to ${mail.to}: ${mail.subject}`);
    },
    async close(): Promise<void> {
      (await composer)?.close();
    },
  };
}

function preview(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, previewLines);
  const joined = lines.join(' | ');
  return joined.length > previewChars ? `${joined.slice(0, previewChars)}…` : joined;
}
