import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { describe, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { MemoryCache } from '../../../src/cache/memory.js';
import { loadConfig } from '../../../src/config.js';
import { createSuperuser } from '../../../src/core/superuser.js';
import { createLogger } from '../../../src/logger.js';
import { freshStore, postgresUrl, withPostgres, type FreshStore } from '../../support/backends.js';
import { cliArgs } from '../../support/cli.js';
import { dropPrefix, freePort, redisUrl as sharedRedisUrl, sleep, uniquePrefix } from '../../cache/support.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const secretKey = 'scale-test-secret-key-0123456789abcdef';

/** One `gatehouse serve` process on its own port and data dir. */
export class Instance {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-scale-'));
  /** Every line the process wrote (JSON logs and the banner). */
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  port = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once /readyz answers 200. */
  async start(extraArgs: string[] = []): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(process.execPath, cliArgs(['serve', ...extraArgs]), {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port), HOST: '127.0.0.1', GATEHOUSE_DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // 'close', not 'exit': by then every line the process wrote has been read.
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        this.output.push(...lines);
      });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.output.join('\n')}`);
      try {
        const res = await fetch(`${this.url}/readyz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`${this.name} did not become ready:\n${this.output.join('\n')}`);
  }

  /** Sends `signal` and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || !this.exited) return null;
    if (this.running) this.child.kill(signal);
    const code = await this.exited;
    this.child = undefined;
    return code;
  }

  /** Parsed JSON log lines. */
  logs(): { level: number; msg: string; [k: string]: unknown }[] {
    const out = [];
    for (const line of this.output) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // a banner line that happens to start with {
      }
    }
    return out;
  }

  /** The .eml files this instance's outbox worker delivered. */
  mailFiles(): string[] {
    const dir = join(this.dataDir, 'mail');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => join(dir, f)) : [];
  }
}

export interface DeploymentOptions {
  instances?: number;
  env?: Record<string, string>;
  /** A Redis other than the shared one (a throwaway server for fault tests). */
  redisUrl?: string;
}

/** N instances over one fresh PostgreSQL schema and one Redis key prefix, as in production. */
export class Deployment {
  readonly instances: Instance[];
  readonly redisPrefix = uniquePrefix();
  readonly redisUrl: string;
  private readonly env: Record<string, string>;

  private constructor(
    readonly database: FreshStore,
    options: DeploymentOptions,
  ) {
    this.redisUrl = options.redisUrl ?? sharedRedisUrl;
    const env: Record<string, string> = {
      GATEHOUSE_ENV: 'test',
      DATABASE_URL: postgresUrl,
      DATABASE_SCHEMA: database.schema as string,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      GATEHOUSE_SECRET_KEY: secretKey,
      LOG_LEVEL: 'info',
      // Test clients send X-Forwarded-For from loopback to look like many users.
      GATEHOUSE_TRUST_PROXY: '127.0.0.1',
      // One address in front of every instance, as a balancer gives: it is also the tokens' issuer,
      // so instances that each defaulted to their own port would refuse each other's tokens.
      GATEHOUSE_PUBLIC_URL: 'http://gatehouse.test',
      ...options.env,
    };
    this.env = env;
    this.instances = Array.from({ length: options.instances ?? 3 }, (_, i) => new Instance(String.fromCharCode(65 + i), env));
  }

  /** Migrates a fresh schema, starts the first instance (it creates the signing key), then the rest together. */
  static async start(options: DeploymentOptions = {}): Promise<Deployment> {
    const database = await freshStore('postgres');
    const deployment = new Deployment(database, options);
    const [first, ...rest] = deployment.instances;
    try {
      await first?.start();
      await Promise.all(rest.map((i) => i.start()));
    } catch (err) {
      await deployment.close();
      throw err;
    }
    return deployment;
  }

  /** One more instance of the deployment (not started); closed with it. */
  addInstance(name: string): Instance {
    const instance = new Instance(name, this.env);
    this.instances.push(instance);
    return instance;
  }

  get db() {
    return this.database.store.db;
  }

  /** Creates a superuser straight in the shared database (what `gatehouse createsuperuser` does) and logs in over HTTP. */
  async superuser(): Promise<{ username: string; password: string; token: string }> {
    const config = loadConfig({ GATEHOUSE_ENV: 'test', GATEHOUSE_SECRET_KEY: secretKey, GATEHOUSE_DATA_DIR: this.instances[0]!.dataDir, LOG_LEVEL: 'silent' });
    const app = await createApp(config, { store: this.database.store, cache: new MemoryCache(), mailWorker: false, cleanup: false, log: createLogger(config) });
    const username = `admin_${randomBytes(4).toString('hex')}`;
    const password = 'an admin passphrase 9471';
    try {
      await createSuperuser(app.core, { username, email: `${username}@example.com`, password });
    } finally {
      await app.close();
    }
    const res = await call(this.instances[0]!.url, '/v1/auth/login', { body: { login: username, password } });
    if (res.status !== 200) throw new Error(`superuser login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { username, password, token: res.body.access_token };
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop('SIGKILL')));
    await this.database.store.close();
    await this.database.drop();
    await dropPrefix(this.redisUrl, this.redisPrefix).catch(() => undefined);
  }
}

let ipCounter = 0;

/** A distinct client address per call, so per-IP limits do not mix unrelated test users. */
export function clientIp(): string {
  ipCounter++;
  return `10.${randomBytes(1)[0]}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

/** JSON over real HTTP; never throws for HTTP statuses. */
export async function call(base: string, path: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? clientIp(), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    // A hung server fails the test with a clear error instead of the test timeout.
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

/** The text of every mail any instance delivered, parsed. */
export async function deliveredMail(instances: Instance[]): Promise<{ to: string; subject: string; text: string; file: string }[]> {
  const out = [];
  for (const file of instances.flatMap((i) => i.mailFiles())) {
    const parsed = await simpleParser(readFileSync(file));
    const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text;
    out.push({ to: to ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '', file });
  }
  return out;
}

async function missingServices(): Promise<string[]> {
  const missing: string[] = [];
  try {
    await withPostgres((client) => client.query('select 1'));
  } catch {
    missing.push(`PostgreSQL at ${postgresUrl}`);
  }
  const redis = new Redis(sharedRedisUrl, { lazyConnect: true, connectTimeout: 1000, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    missing.push(`Redis at ${sharedRedisUrl}`);
  } finally {
    redis.disconnect();
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) missing.push('redis-server');
  return missing;
}

const missing = await missingServices();

/** A multi-process suite over real PostgreSQL and Redis; locally skipped without them, in CI a failure. */
export function describeScale(name: string, body: () => void): void {
  if (missing.length === 0) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('has PostgreSQL, Redis and redis-server (required in CI)', () => {
        throw new Error(`not reachable: ${missing.join(', ')}; CI must provide them`);
      });
    });
  } else {
    console.warn(`[test/scale] skipping "${name}": not reachable: ${missing.join(', ')}`);
    describe.skip(name, body);
  }
}
