import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src/http/request-logger.js';
import { createLogger } from '../../src/logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const root = createLogger({ logLevel: level }, sink);
  let children = 0;
  const child = root.child;
  root.child = function (this: typeof root, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof root.child;
  return { root, lines, children: () => children };
}

describe('request logger made on first write', () => {
  it('makes no child for a request that writes nothing at its level', () => {
    const { root, lines, children } = capture('warn');
    const log = lazyRequestLogger(root, { reqId: 'r-1' }, {});
    log.info({ req: { method: 'GET', url: '/v1/me' } }, 'incoming request');
    log.debug('nothing');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('writes what a child would: the request id, the message, redaction intact', async () => {
    const { root, lines, children } = capture('warn');
    const log = lazyRequestLogger(root, { reqId: 'r-2' }, {});
    log.warn({ body: { password: 'hunter22' } }, 'first');
    log.error('second');
    // One child for the request, however many lines it writes.
    expect(children()).toBe(1);
    log.child({ component: 'x' }).warn('third');
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([['r-2', 'first'], ['r-2', 'second'], ['r-2', 'third']]);
    expect(lines[0]!.body).toEqual({ password: '[redacted]' });
    expect(lines[2]!.component).toBe('x');
  });

  it('gives a route with its own level an ordinary child', () => {
    const { root, lines } = capture('warn');
    const log = lazyRequestLogger(root, { reqId: 'r-3' }, { level: 'info' });
    log.info('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
