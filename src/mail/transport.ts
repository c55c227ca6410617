/** One message ready to go out, as the worker hands it to a transport. */
export interface OutgoingMail {
  /** The outbox row it came from (for file names and logs). */
  outboxId: number;
  /** Stable across retries, so a receiver can drop a duplicate of an at-least-once resend. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where mail goes: SMTP in production, `.eml` files when no SMTP server is configured. */
export interface MailTransport {
  readonly name: 'smtp' | 'file';
  /** Resolves once the message is accepted (by the SMTP server, or written); rejects to ask for a retry. */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}
