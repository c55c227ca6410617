import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../../packages/verify/src/sse.js';

describe("@gatehouse/verify's event-stream parser", () => {
  const parse = (chunks: string[]) => {
    const out: SseEvent[] = [];
    const p = new SseParser((e) => out.push(e));
    for (const c of chunks) p.push(c);
    return out;
  };

  it('reads events split anywhere across chunks, with LF, CRLF or CR line ends, and skips comments', () => {
    const wire = 'retry: 2000\n\n: keep-alive\n\nid: c1\nevent: revocation\ndata: {"sid":"a"}\n\nevent: caught-up\ndata: {}\n\n';
    const expected = [{ id: 'c1', event: 'revocation', data: '{"sid":"a"}' }, { event: 'caught-up', data: '{}' }];
    expect(parse([wire])).toEqual(expected);
    expect(parse(wire.split(''))).toEqual(expected);
    expect(parse(wire.replaceAll('\n', '\r\n').split(''))).toEqual(expected);
    expect(parse([wire.replaceAll('\n', '\r')])).toEqual(expected);
  });

  it('joins multi-line data, defaults the event name, ignores an id with NUL and an unterminated event', () => {
    expect(parse(['data: a\ndata: b\nid: x\0y\n\ndata: never ended'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
