import type { FetchLike, Hooks } from './options.js';
import { SseParser } from './sse.js';

interface Entry {
  sid: string;
  revoked_at: number;
  not_after: number;
}

/** The server sends a comment every 15 s: a stream silent for this long is dead (a half-open connection), and is dropped. */
const idleMs = 40_000;
/** Entries are kept this long past their `not_after`, against clock skew. */
const keepPastMs = 60_000;
const sweepEveryMs = 60_000;

function isEntry(e: unknown): e is Entry {
  const o = e as Partial<Entry> | null;
  return !!o && typeof o.sid === 'string' && typeof o.revoked_at === 'number' && typeof o.not_after === 'number';
}

export interface FeedOptions extends Hooks {
  feedUrl: string;
  serviceKey: string;
  fetch: FetchLike;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

/**
 * Follows Gatehouse's revocation feed: the snapshot (`GET <feedUrl>`, every page) once at start,
 * then the stream (`<feedUrl>/stream`) from the snapshot's cursor, reconnecting with
 * `Last-Event-ID` after exponential backoff with jitter. Keeps sid → not_after in memory.
 */
export class RevocationFollower {
  private readonly revoked = new Map<string, number>();
  private lastEventId: string | undefined;
  private live = false;
  /** When the feed was last known good (live, or since start before the first catch-up). */
  private downSince: number;
  private everLive = false;
  private closed = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly sweeper: NodeJS.Timeout;
  private readonly liveWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly o: FeedOptions) {
    this.downSince = Date.now();
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  start(): void {
    this.running ??= this.run();
  }

  isRevoked(sid: string): boolean {
    return this.revoked.has(sid);
  }

  /** Live now, or lost for less than `graceMs` after having been live once. */
  usable(graceMs: number, now = Date.now()): boolean {
    return this.live || (this.everLive && now - this.downSince < graceMs);
  }

  status(): { live: boolean; downSince: number | null; revoked: number; lastEventId: string | null } {
    return { live: this.live, downSince: this.live ? null : this.downSince, revoked: this.revoked.size, lastEventId: this.lastEventId ?? null };
  }

  /** Resolves once the feed has caught up for the first time. */
  whenLive(): Promise<void> {
    if (this.everLive) return Promise.resolve();
    return new Promise((resolve) => this.liveWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.abort?.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      let reachedLive = false;
      try {
        if (this.lastEventId === undefined) await this.snapshot();
        reachedLive = await this.stream();
      } catch (err) {
        if (!this.closed) this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
      this.markDown(this.closed ? 'closed' : 'stream ended');
      if (this.closed) break;
      attempt = reachedLive ? 0 : attempt + 1;
      await this.sleep(this.backoff(attempt));
    }
  }

  /** Full jitter over an exponential ceiling; the first retry after a good stream comes fast. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.o.serviceKey}`, ...extra };
  }

  private async snapshot(): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      this.abort = new AbortController();
      const url = cursor === undefined ? `${this.o.feedUrl}?limit=1000` : `${this.o.feedUrl}?limit=1000&after=${encodeURIComponent(cursor)}`;
      const res = await this.o.fetch(url, { headers: this.headers({ accept: 'application/json' }), signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(15_000)]) });
      if (res.status !== 200) throw new Error(`revocation feed ${this.o.feedUrl} answered ${res.status}${res.status === 401 ? ' (is the service key live?)' : ''}`);
      const body = (await res.json()) as { revocations?: unknown[]; cursor?: unknown; has_more?: unknown };
      if (!Array.isArray(body.revocations) || typeof body.cursor !== 'string') throw new Error('revocation feed: unexpected snapshot body');
      this.add(body.revocations.filter(isEntry));
      cursor = body.cursor;
      if (body.has_more !== true) break;
    }
    this.lastEventId = cursor;
  }

  /** One stream connection, until it ends; true when it caught up (the connection was good). */
  private async stream(): Promise<boolean> {
    const abort = new AbortController();
    this.abort = abort;
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`revocation stream silent for ${idleMs} ms`)), idleMs);
      idle.unref();
    };
    touch();
    let caughtUp = false;
    try {
      const res = await this.o.fetch(`${this.o.feedUrl}/stream`, {
        headers: this.headers({ accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) }),
        signal: abort.signal,
      });
      if (res.status !== 200 || !res.body) throw new Error(`revocation stream ${this.o.feedUrl}/stream answered ${res.status}${res.status === 401 ? ' (is the service key live?)' : ''}`);
      const parser = new SseParser((e) => {
        if (e.event === 'revocation') {
          try {
            const entry: unknown = JSON.parse(e.data);
            if (isEntry(entry)) this.add([entry]);
          } catch {
            this.o.onError?.(new Error('revocation stream: bad event data ignored'));
          }
          if (e.id) this.lastEventId = e.id;
        } else if (e.event === 'caught-up') {
          caughtUp = true;
          this.markLive();
        }
      });
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        parser.push(decoder.decode(value, { stream: true }));
      }
      return caughtUp;
    } finally {
      clearTimeout(idle);
      abort.abort();
    }
  }

  private add(entries: Entry[]): void {
    const now = Date.now();
    const fresh: string[] = [];
    for (const e of entries) {
      if (e.not_after + keepPastMs <= now) continue;
      if (!this.revoked.has(e.sid)) fresh.push(e.sid);
      this.revoked.set(e.sid, Math.max(e.not_after, this.revoked.get(e.sid) ?? 0));
    }
    if (fresh.length) this.o.onEvent?.({ type: 'revoked', sids: fresh });
  }

  private markLive(): void {
    this.live = true;
    this.everLive = true;
    this.o.onEvent?.({ type: 'feed_live', revoked: this.revoked.size });
    for (const w of this.liveWaiters.splice(0)) w();
  }

  private markDown(reason: string): void {
    if (!this.live) return;
    this.live = false;
    this.downSince = Date.now();
    this.o.onEvent?.({ type: 'feed_down', reason });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [sid, notAfter] of this.revoked) if (notAfter + keepPastMs <= now) this.revoked.delete(sid);
  }
}
