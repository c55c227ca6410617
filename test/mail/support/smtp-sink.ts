import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** How the sink answers: take mail, refuse it with a temporary error, or hang in DATA. */
export type SinkMode = 'accept' | 'reject' | 'stall';

/** A real SMTP server in the test process that records what it accepts. */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  mode: SinkMode = 'accept';
  /** Called when a client starts sending a message body (before it is accepted). */
  onDataStart: (() => void) | undefined;
  /** Extra delay before accepting each message, to keep sends in flight. */
  acceptDelayMs = 0;
  private server: SMTPServer | undefined;
  private listeningPort = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  get port(): number {
    return this.listeningPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.listeningPort}`;
  }

  /** Listens (on the previous port after `down()`, so clients find it again). */
  async up(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 50,
      onMailFrom: (_address, _session: SMTPServerSession, callback) => {
        if (this.mode === 'reject') callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        else callback();
      },
      onData: (stream: SMTPServerDataStream, _session, callback) => this.onData(stream, callback),
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      const net = server.listen(this.listeningPort, '127.0.0.1', () => resolve());
      net.once('error', reject);
    });
    this.server = server;
    this.listeningPort = (server.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections: clients get refused until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` messages have been accepted in total. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} mails, got ${this.received.length}`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private onData(stream: SMTPServerDataStream, callback: (err?: Error | null) => void): void {
    this.onDataStart?.();
    if (this.mode === 'stall') return; // never answers: the client is mid-send when it dies
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      void (async () => {
        if (this.acceptDelayMs > 0) await new Promise((r) => setTimeout(r, this.acceptDelayMs));
        this.received.push(await simpleParser(Buffer.concat(chunks)));
        callback();
        for (const w of this.waiters.filter((w) => this.received.length >= w.count)) w.resolve();
        this.waiters = this.waiters.filter((w) => this.received.length < w.count);
      })();
    });
  }
}
