import type { Core } from './core.js';
import { feedEntry, revocationPage, type FeedEntry, type FeedPosition } from './revocation-feed.js';
import { serviceKeyChannel } from './service-keys.js';
import { revokedSessionsById } from '../store/revocation-feed-repo.js';

/** One open feed stream, as the hub sees it (the HTTP layer writes the wire format). */
export interface FeedSubscriber {
  /** The service key it authenticated with: revoking the key ends the stream. */
  keyId: string;
  send(entries: FeedEntry[]): void;
  heartbeat(): void;
  end(): void;
}

export const heartbeatMs = 15_000;
/** Session ids already pushed (a message reaches its publisher twice: applied locally, then echoed by the cache). */
const recentMax = 10_000;
const lookupChunk = 500;

/**
 * Fans every revocation this instance learns of (its own and, through the cache's pub/sub, every
 * other instance's) out to the open streams: one listener and one database read per message,
 * however many streams; one heartbeat timer for all of them.
 */
export class RevocationFeedHub {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly recent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly core: Core) {}

  static async start(core: Core): Promise<RevocationFeedHub> {
    const hub = new RevocationFeedHub(core);
    core.revocations.onMessage((m) => {
      const ids = (m.sessions ?? []).map((s) => s.id);
      if (ids.length) void hub.pushRevoked(ids);
    });
    await core.cache.subscribe(serviceKeyChannel, (keyId) => hub.endKey(keyId));
    return hub;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Catch-up then live: the subscriber is registered first (live entries wait in a buffer), the
   * pages after `from` are sent, then the buffer without what the pages already carried.
   * Returns the unsubscribe function.
   */
  async subscribe(subscriber: FeedSubscriber, from: FeedPosition, isOpen: () => boolean): Promise<() => void> {
    let buffered: FeedEntry[] | undefined = [];
    const live: FeedSubscriber = {
      keyId: subscriber.keyId,
      send: (entries) => (buffered ? buffered.push(...entries) : subscriber.send(entries)),
      heartbeat: () => subscriber.heartbeat(),
      end: () => subscriber.end(),
    };
    this.subscribers.add(live);
    this.timer ??= setInterval(() => this.beat(), heartbeatMs).unref();
    const unsubscribe = () => {
      this.subscribers.delete(live);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
    try {
      const sent = new Set<string>();
      let position = from;
      for (;;) {
        if (!isOpen()) break;
        const page = await revocationPage(this.core, position);
        if (page.revocations.length) subscriber.send(page.revocations);
        for (const e of page.revocations) sent.add(e.sid);
        position = page.revocations.at(-1) ? { at: page.revocations.at(-1)!.revoked_at, id: page.revocations.at(-1)!.sid } : position;
        if (!page.has_more) break;
      }
      const late = buffered.filter((e) => !sent.has(e.sid));
      buffered = undefined;
      if (late.length) subscriber.send(late);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  /** Sends a heartbeat to every stream (the timer calls it every `heartbeatMs`). */
  beat(): void {
    for (const s of this.subscribers) s.heartbeat();
  }

  /** Ends every stream (the server is closing: followers reconnect elsewhere with Last-Event-ID). */
  endAll(): void {
    for (const s of [...this.subscribers]) s.end();
  }

  endKey(keyId: string): void {
    for (const s of [...this.subscribers]) if (s.keyId === keyId) s.end();
  }

  private async pushRevoked(ids: string[]): Promise<void> {
    if (this.subscribers.size === 0) return;
    const fresh = ids.filter((id) => !this.recent.has(id));
    if (fresh.length === 0) return;
    // Marked before the read, so the echo of the same message never reads (or sends) them again.
    for (const id of fresh) this.remember(id);
    try {
      const entries: FeedEntry[] = [];
      for (let i = 0; i < fresh.length; i += lookupChunk) {
        // The database's revocation time, not this instance's clock: the event id is then the same cursor a page would give.
        for (const row of await revokedSessionsById(this.core.db, fresh.slice(i, i + lookupChunk))) entries.push(feedEntry(row));
      }
      entries.sort((a, b) => a.revoked_at - b.revoked_at || (a.sid < b.sid ? -1 : 1));
      if (entries.length) for (const s of this.subscribers) s.send(entries);
    } catch (err) {
      for (const id of fresh) this.recent.delete(id);
      this.core.log.warn({ err }, 'revocations not pushed to feed streams; followers get them on their next catch-up');
    }
  }

  private remember(id: string): void {
    this.recent.add(id);
    if (this.recent.size > recentMax) this.recent.delete(this.recent.values().next().value!);
  }
}
