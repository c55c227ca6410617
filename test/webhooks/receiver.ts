import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * A consumer's receiving endpoint, written from the Standard Webhooks spec as a consumer would:
 * HMAC-SHA256 with the base64-decoded `whsec_` secret over `id.timestamp.body`, compared in
 * constant time against each `v1,` signature; timestamps more than 5 minutes off are refused.
 */
export function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((s) => {
    const [version, value] = s.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  payload: { type: string; timestamp: string; data: { user_id: number | null; [k: string]: unknown } };
  /** The status this receiver answered. */
  answered: number;
  verified: boolean;
}

/** A real HTTP server on loopback that records every request and answers what `respond` says (default 204). */
export class Receiver {
  readonly received: Received[] = [];
  secrets: string[] = [];
  /** The receiver's clock for the timestamp tolerance (tests hand it the app's ManualClock). */
  nowMs: () => number = Date.now;
  respond: (r: Omit<Received, 'answered'>, n: number) => number = () => 204;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const base = { headers: req.headers, body, payload: JSON.parse(body) as Received['payload'], verified: this.secrets.some((s) => verifyStandardWebhook(s, req.headers, body, Math.floor(this.nowMs() / 1000))) };
        const answered = this.respond(base, this.received.length);
        this.received.push({ ...base, answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered >= 300 ? 'not now '.repeat(200) : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
