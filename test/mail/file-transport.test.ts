import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { createOutboxWorker } from '../../src/mail/index.js';
import type { Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { testMailer } from './support/harness.js';
import { testConfig } from './support/setup.js';

/** A pino logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe.each(backends)('file transport (%s)', (backend) => {
  let store: Store;
  beforeEach(async () => {
    ({ store } = await freshStore(backend));
  });
  afterEach(async () => {
    await store.close();
  });

  async function sendOneReset(config: Config) {
    const clock = new ManualClock();
    const { log, lines } = capturedLogger();
    const worker = createOutboxWorker(config, store, log, { clock });
    await testMailer(config, clock).enqueue(store.db, {
      kind: 'password_reset',
      to: 'dev@example.com',
      data: { code: '246810', token: 'abc123', minutes: '30' },
    });
    expect(await worker.drainOnce()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await worker.stop();
    return lines();
  }

  it('writes a parseable .eml under <data dir>/mail and logs one line with the code and link', async () => {
    const config = testConfig({ GATEHOUSE_ENV: 'development' });
    const logged = await sendOneReset(config);

    const dir = join(config.dataDir, 'mail');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z-\d+-[0-9a-f]{6}\.eml$/);
    const raw = readFileSync(join(dir, files[0]!));
    expect(raw.toString()).toContain('\r\n'); // RFC 5322 line ends
    const mail = await simpleParser(raw);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('dev@example.com');
    expect(mail.subject).toBe('Reset your Acme ID password');
    expect(mail.text).toContain('246810');
    expect(mail.html).toContain('https://id.acme.test/reset-password?token=abc123');

    const mailLines = logged.filter((l) => l.mail !== undefined);
    expect(mailLines).toHaveLength(1);
    const line = mailLines[0]!;
    expect(line.msg).toBe('mail to dev@example.com: Reset your Acme ID password');
    const fields = line.mail as Record<string, string>;
    expect(fields.file).toBe(join(dir, files[0]!));
    expect(fields.preview).toContain('Your code: 246810');
    expect(fields.preview).toContain('https://id.acme.test/reset-password?token=abc123');
    expect(fields.preview).not.toContain('\n');
  });

  it('keeps codes and links out of the log in production', async () => {
    const config = testConfig({ GATEHOUSE_ENV: 'production', GATEHOUSE_SECRET_KEY: 'x'.repeat(40), GATEHOUSE_PUBLIC_URL: 'https://id.acme.test', GATEHOUSE_METRICS_TOKEN: 'm'.repeat(32), GATEHOUSE_MAIL: 'file' });
    const logged = await sendOneReset(config);
    const line = logged.find((l) => l.mail !== undefined)!;
    expect(JSON.stringify(line)).not.toContain('246810');
    expect(JSON.stringify(line)).not.toContain('abc123');
    expect(readdirSync(join(config.dataDir, 'mail'))).toHaveLength(1);
  });
});
