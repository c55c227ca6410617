import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { describe, it } from 'vitest';

/** The shared Redis the suites use; keys and channels go under a per-run prefix. */
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(): string {
  return `ghtest:${randomBytes(5).toString('hex')}:`;
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines are kept for assertions (warn = 40, error = 50). */
export function capturingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisUp = await reachable(redisUrl);
const redisServerInstalled = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A suite needing the shared Redis: in CI (process.env.CI) an unreachable Redis fails the run;
 * locally the suite is skipped with a message saying why.
 */
export function describeWithRedis(name: string, body: () => void): void {
  describeRequiring(name, body, redisUp, `Redis is not reachable at ${redisUrl}`);
}

/** A suite that starts its own redis-server processes; same CI rule. */
export function describeWithRedisServer(name: string, body: () => void): void {
  describeRequiring(name, body, redisServerInstalled, 'redis-server is not installed');
}

function describeRequiring(name: string, body: () => void, available: boolean, missing: string): void {
  if (available) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('has what it needs (required in CI)', () => {
        throw new Error(`${missing}; CI must provide it`);
      });
    });
  } else {
    console.warn(`[test/cache] skipping "${name}": ${missing}`);
    describe.skip(name, body);
  }
}

/** A TCP port nothing listens on (at the moment it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server on a fixed port that tests stop, freeze and start again. */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child !== undefined) throw new Error(`redis-server on port ${this.port} is already running`);
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    // Ready when this very process says so: another server on the port would also answer PING.
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${this.port} did not start:\n${output}`)), 5000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        this.child = undefined;
        reject(new Error(`redis-server on port ${this.port} exited with ${code}:\n${output}`));
      });
    });
  }

  /** Stops the server and waits for the process to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners('exit');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A frozen (SIGSTOPped) server handles SIGTERM only once continued.
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }
}

/** Removes every key a test run left under its prefix. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
