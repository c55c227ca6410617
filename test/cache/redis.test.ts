import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache, type RedisCacheOptions } from '../../src/cache/redis.js';
import {
  capturingLogger,
  describeWithRedis,
  describeWithRedisServer,
  dropPrefix,
  freePort,
  redisUrl,
  RedisServerProcess,
  sleep,
  uniquePrefix,
} from './support.js';
import { eventually } from '../support/eventually.js';

/** Every cache a test opens, closed after it whatever happened. */
const opened: RedisCache[] = [];
function open(options: Partial<RedisCacheOptions> & { url: string }): RedisCache {
  const cache = new RedisCache({ prefix: uniquePrefix(), log: capturingLogger().log, ...options });
  opened.push(cache);
  return cache;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});

/** How long a call took to settle, and how. */
async function timed(call: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const start = Date.now();
  try {
    await call();
    return { ms: Date.now() - start, error: undefined };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

/** Publishes straight to Redis, bypassing any cache, under the given prefix. */
async function rawPublish(url: string, channel: string, message: string): Promise<void> {
  const raw = new Redis(url);
  try {
    await raw.publish(channel, message);
  } finally {
    raw.disconnect();
  }
}

describeWithRedis('RedisCache against the shared Redis', () => {
  const prefix = uniquePrefix();
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(redisUrl);
  });
  afterAll(async () => {
    await dropPrefix(redisUrl, prefix);
    raw.disconnect();
  });

  it('keeps every key and channel under its prefix', async () => {
    const a = open({ url: redisUrl, prefix });
    const b = open({ url: redisUrl, prefix: uniquePrefix() });
    await eventually('caches', () => a.healthy() && b.healthy());
    await a.set('k', 'from-a', 60);
    await a.hit('counter', 60);
    expect(await raw.get(`${prefix}k`)).toBe('from-a');
    expect(await raw.pttl(`${prefix}counter`)).toBeGreaterThan(59_000);
    expect(await b.get('k')).toBeUndefined();

    const onA: string[] = [];
    const onB: string[] = [];
    await a.subscribe('ch', (m) => onA.push(m));
    await b.subscribe('ch', (m) => onB.push(m));
    await a.publish('ch', 'for a');
    await raw.publish('ch', 'unprefixed');
    await eventually('message on A', () => onA.length === 1);
    await sleep(50);
    expect(onA).toEqual(['for a']);
    expect(onB).toEqual([]);
  });

  it('counts atomically under concurrency', async () => {
    const a = open({ url: redisUrl, prefix });
    const b = open({ url: redisUrl, prefix });
    await eventually('caches', () => a.healthy() && b.healthy());
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).hit('race', 60)));
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('delivers a message published on one instance to another (and to itself)', async () => {
    const a = open({ url: redisUrl, prefix });
    const b = open({ url: redisUrl, prefix });
    const onB: string[] = [];
    const onA: string[] = [];
    await b.subscribe('revoked', (m) => onB.push(m));
    await a.subscribe('revoked', (m) => onA.push(m));
    await a.publish('revoked', 'session-1');
    await eventually('message on B', () => onB.length === 1);
    await eventually('message on A', () => onA.length === 1);
    expect(onB).toEqual(['session-1']);
  });

  it('resubscribes after its subscriber connection is killed, and fires onReconnect', async () => {
    const name = `ghtest-${prefix.slice(7, 17)}`;
    const a = open({ url: redisUrl, prefix });
    const b = open({ url: redisUrl, prefix, connectionName: name, maxReconnectDelayMs: 100 });
    const got: string[] = [];
    let reconnects = 0;
    b.onReconnect(() => void reconnects++);
    await b.subscribe('bus', (m) => got.push(m));
    await eventually('caches', () => a.healthy() && b.healthy());

    const clients = String(await raw.client('LIST'));
    const line = clients.split('\n').find((l) => l.includes(` name=${name}:sub `));
    const id = line === undefined ? undefined : /(?:^|\s)id=(\d+)/.exec(line)?.[1];
    expect(id).toBeDefined();
    await raw.client('KILL', 'ID', id as string);

    await eventually('onReconnect', () => reconnects === 1);
    expect(b.healthy()).toBe(true);
    await a.publish('bus', 'after-kill');
    await eventually('message after the kill', () => got.includes('after-kill'));
    expect(got).toEqual(['after-kill']);
  });
});

describe('RedisCache without a Redis', () => {
  it('fails fast where nothing listens, reports unhealthy and logs the outage once', async () => {
    const port = await freePort();
    const { log, lines } = capturingLogger();
    const cache = open({ url: `redis://127.0.0.1:${port}`, log, maxReconnectDelayMs: 200 });
    expect(cache.healthy()).toBe(false);
    for (const call of [
      () => cache.get('k'),
      () => cache.set('k', 'v', 60),
      () => cache.del('k'),
      () => cache.hit('k', 60),
      () => cache.publish('c', 'm'),
    ]) {
      const { ms, error } = await timed(call);
      expect(error).toBeInstanceOf(Error);
      expect(ms).toBeLessThan(1500);
    }
    // Subscribing while down keeps the handler for later instead of failing.
    expect((await timed(() => cache.subscribe('c', () => undefined))).error).toBeUndefined();
    await sleep(600);
    expect(cache.healthy()).toBe(false);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
  });

  it('fails within the command timeout when the server accepts connections but never answers', async () => {
    // Sockets are accepted and then ignored, like a hung Redis or a half-open connection.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const cache = open({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 300, maxReconnectDelayMs: 100 });
      for (let i = 0; i < 3; i++) {
        const { ms, error } = await timed(() => cache.get('k'));
        expect(error).toBeInstanceOf(Error);
        expect(ms).toBeLessThan(1000);
      }
      const subscribing = await timed(() => cache.subscribe('c', () => undefined));
      expect(subscribing.error).toBeUndefined();
      expect(subscribing.ms).toBeLessThan(1000);
      expect(cache.healthy()).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describeWithRedisServer('RedisCache across Redis restarts', () => {
  let server: RedisServerProcess;
  beforeAll(async () => {
    server = new RedisServerProcess(await freePort());
  });
  afterEach(async () => {
    await server.stop();
  });
  afterAll(async () => {
    await server.stop('SIGKILL');
  });

  it('starts without Redis, then recovers, resubscribes and fires onReconnect each time it comes back', async () => {
    const prefix = uniquePrefix();
    const cache = open({ url: server.url, prefix, maxReconnectDelayMs: 100 });
    const got: string[] = [];
    let reconnects = 0;
    cache.onReconnect(() => void reconnects++);
    await cache.subscribe('bus', (m) => got.push(m));
    await expect(cache.get('k')).rejects.toThrow();

    await server.start();
    await eventually('first connection', () => cache.healthy());
    expect(reconnects).toBe(1);
    await cache.set('k', 'v', 60);
    expect(await cache.get('k')).toBe('v');
    await rawPublish(server.url, `${prefix}bus`, 'one');
    await eventually('message one', () => got.includes('one'));

    await server.stop();
    await eventually('outage noticed', () => !cache.healthy());
    const down = await timed(() => cache.hit('k2', 60));
    expect(down.error).toBeInstanceOf(Error);
    expect(down.ms).toBeLessThan(1500);

    await server.start();
    await eventually('reconnection', () => cache.healthy());
    expect(reconnects).toBe(2);
    // The restarted server is empty (no persistence): the cache works on from scratch.
    expect(await cache.get('k')).toBeUndefined();
    await rawPublish(server.url, `${prefix}bus`, 'two');
    await eventually('message two', () => got.includes('two'));
    expect(got).toEqual(['one', 'two']);
  });

  it('notices a Redis that stops answering, fails fast meanwhile, and recovers when it answers again', async () => {
    await server.start();
    const cache = open({ url: server.url, commandTimeoutMs: 300, heartbeatMs: 200, maxReconnectDelayMs: 100 });
    let reconnects = 0;
    cache.onReconnect(() => void reconnects++);
    const got: string[] = [];
    await cache.subscribe('bus', (m) => got.push(m));
    await eventually('connection', () => cache.healthy());

    server.freeze();
    try {
      const stalled = await timed(() => cache.get('k'));
      expect(stalled.error).toBeInstanceOf(Error);
      expect(stalled.ms).toBeLessThan(1000);
      await eventually('stall noticed', () => !cache.healthy(), 3000);
      const later = await timed(() => cache.set('k', 'v', 60));
      expect(later.error).toBeInstanceOf(Error);
      expect(later.ms).toBeLessThan(1000);
    } finally {
      server.thaw();
    }
    await eventually('recovery', () => cache.healthy(), 5000);
    expect(reconnects).toBe(1);
    await cache.publish('bus', 'after-stall');
    await eventually('message after the stall', () => got.includes('after-stall'));
  });
});
