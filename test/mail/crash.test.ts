import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { built } from '../support/cli.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/db.js';
import { backends, freshStore } from '../support/backends.js';
import { outboxRows, smtpWorker } from './support/harness.js';
import { testConfig } from './support/setup.js';
import { SmtpSink } from './support/smtp-sink.js';

const childScript = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));
const leaseMs = 60_000;
const count = 5;

describe.each(backends)('a process killed between commit and send (%s)', (backend) => {
  let store: Store;
  let url: string;
  let schema: string | undefined;
  let sink: SmtpSink;

  beforeEach(async () => {
    ({ store, url, schema } = await freshStore(backend));
    sink = new SmtpSink();
    await sink.up();
  });

  afterEach(async () => {
    await sink.down();
    await store.close();
  });

  it('has its mail sent after the restart, each exactly once', async () => {
    // The child's sends hang in DATA; the first one to get there is the moment to kill it.
    sink.mode = 'stall';
    const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
      env: {
        ...process.env,
        CRASH_BUILT: pathToFileURL(built('src')).href,
        CRASH_DB_URL: url,
        CRASH_DB_SCHEMA: schema ?? '',
        CRASH_SMTP_URL: sink.url,
        CRASH_COUNT: String(count),
        CRASH_LEASE_MS: String(leaseMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const sending = new Promise<void>((resolve) => (sink.onDataStart = resolve));
    await Promise.race([sending, exited.then(() => Promise.reject(new Error(`child exited early:\n${output}`)))]);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).toContain('committed');

    // The dead process's leases still hold the rows; nothing was delivered.
    const leased = await outboxRows(store);
    expect(leased).toHaveLength(count);
    expect(leased.every((r) => r.status === 'pending' && r.claimed_by === 'crashed-child')).toBe(true);
    expect(sink.received).toHaveLength(0);

    sink.mode = 'accept';
    sink.onDataStart = undefined;
    const clock = new ManualClock(Date.now());
    const restarted = smtpWorker(store, sink, testConfig(), { clock });
    try {
      expect(await restarted.drainOnce()).toMatchObject({ sent: 0 }); // lease not yet run out
      clock.advance(leaseMs / 1000 + 1);
      expect(await restarted.drainOnce()).toEqual({ sent: count, retried: 0, failed: 0 });
      expect(await restarted.drainOnce()).toEqual({ sent: 0, retried: 0, failed: 0 });
    } finally {
      await restarted.stop();
    }
    // A late packet from the killed child's sockets must not complete a message either.
    await new Promise((r) => setTimeout(r, 200));
    const codes = sink.received.map((m) => /Your code: (crash-\d+)/.exec(m.text ?? '')?.[1]).sort();
    expect(codes).toEqual(Array.from({ length: count }, (_, i) => `crash-${i}`).sort());
    expect((await outboxRows(store)).every((r) => r.status === 'sent')).toBe(true);
  });
});
