/** One Server-Sent Event (comments are dropped, except that they count as traffic). */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Splits an event stream's text into events, chunk by chunk (fields per the WHATWG EventSource parsing rules). */
export class SseParser {
  private buffer = '';
  private id: string | undefined;
  private event = '';
  private data: string[] = [];
  private skipLf = false;

  constructor(private readonly emit: (e: SseEvent) => void) {}

  push(text: string): void {
    // A CR that ended the last chunk may be the first half of a CRLF.
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      if (width === 1 && this.buffer[nl] === '\r' && nl === this.buffer.length - 1) this.skipLf = true;
      this.buffer = this.buffer.slice(nl + width);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.emit({ ...(this.id === undefined ? {} : { id: this.id }), event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      this.id = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}
