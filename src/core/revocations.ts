import type { Ctx } from './context.js';
import { settingDefs } from './settings.js';
import { revokedSessions } from '../store/sessions-repo.js';

/** What the revoked-session set needs: the database to rebuild from, the cache to hear other instances on. */
export type RevocationsCtx = Pick<Ctx, 'db' | 'cache' | 'clock' | 'log'>;

const channel = 'revocations';

/** No access token outlives its issue by more than the longest allowed lifetime, so no entry need outlive its revocation by more. */
const longestAccessMs = settingDefs.access_token_ttl.max * 1000;

/** What a revocation message carries between instances. */
interface RevocationMessage {
  sessions?: { id: string; expiresAt: number }[];
  apiTokens?: string[];
  users?: number[];
}

/**
 * Revoked sessions, in memory so the per-request check costs no round-trip. Rebuilt
 * from the database on start (and on cache reconnect); kept fresh across instances by pub/sub.
 */
export class Revocations {
  private readonly sessions = new Map<string, number>();
  private readonly listeners: ((m: RevocationMessage) => void)[] = [];
  private readonly publishers: ((m: RevocationMessage) => void)[] = [];

  constructor(private readonly ctx: RevocationsCtx) {}

  async init(): Promise<void> {
    await this.rebuild();
    await this.ctx.cache.subscribe(channel, (raw) => {
      try {
        this.apply(JSON.parse(raw) as RevocationMessage);
      } catch (err) {
        this.ctx.log.warn({ err }, 'bad revocation message ignored');
      }
    });
  }

  /** Loads every revoked session that could still have live access tokens (only those revoked since `revokedSince`, when given). */
  async rebuild(revokedSince?: number): Promise<void> {
    const now = this.ctx.clock.now();
    const rows = await revokedSessions(this.ctx.db, { now, revokedAfter: now - longestAccessMs, revokedSince });
    const found: { id: string; expiresAt: number }[] = [];
    for (const r of rows) {
      if (!this.sessions.has(r.id)) found.push({ id: r.id, expiresAt: r.expiresAt });
      this.sessions.set(r.id, Math.min(r.expiresAt, r.revokedAt + longestAccessMs));
    }
    // A revocation whose message was lost: whoever follows messages (the feed's streams) hears of it now.
    if (found.length) for (const l of this.listeners) l({ sessions: found });
    // A full rebuild sweeps; the frequent incremental read must not walk the whole set each time.
    if (revokedSince === undefined) this.sweep(now);
  }

  isRevoked(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Call after the revoking transaction commits. */
  async publish(message: RevocationMessage): Promise<void> {
    this.apply(message);
    for (const l of this.publishers) l(message);
    await this.ctx.cache.publish(channel, JSON.stringify(message)).catch((err) => {
      this.ctx.log.error({ err }, 'revocation not broadcast; other instances learn it on their next rebuild');
    });
  }

  onMessage(listener: (m: RevocationMessage) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Only the revocations this instance committed (not those heard from others): for effects that
   * must happen once per revocation however many instances run, such as OIDC back-channel logout.
   */
  onPublish(listener: (m: RevocationMessage) => void): void {
    this.publishers.push(listener);
  }

  get size(): number {
    return this.sessions.size;
  }

  private apply(m: RevocationMessage): void {
    const bound = this.ctx.clock.now() + longestAccessMs;
    for (const s of m.sessions ?? []) this.sessions.set(s.id, Math.min(s.expiresAt, bound));
    for (const l of this.listeners) l(m);
    if (this.sessions.size % 1024 === 0) this.sweep(this.ctx.clock.now());
  }

  private sweep(now: number): void {
    for (const [id, exp] of this.sessions) if (exp <= now) this.sessions.delete(id);
  }
}
