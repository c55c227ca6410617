import type { Ctx } from './context.js';
import { settingDefs } from './settings.js';

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

  constructor(private readonly ctx: Ctx) {}

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
    let query = this.ctx.db
      .selectFrom('sessions')
      .select(['id', 'expires_at', 'revoked_at'])
      .where('revoked_at', '>', now - longestAccessMs)
      .where('expires_at', '>', now);
    if (revokedSince !== undefined) query = query.where('revoked_at', '>=', revokedSince);
    const rows = await query.execute();
    for (const r of rows) this.sessions.set(r.id, Math.min(r.expires_at, r.revoked_at! + longestAccessMs));
    // A full rebuild sweeps; the frequent incremental read must not walk the whole set each time.
    if (revokedSince === undefined) this.sweep(now);
  }

  isRevoked(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Call after the revoking transaction commits. */
  async publish(message: RevocationMessage): Promise<void> {
    this.apply(message);
    await this.ctx.cache.publish(channel, JSON.stringify(message)).catch((err) => {
      this.ctx.log.error({ err }, 'revocation not broadcast; other instances learn it on their next rebuild');
    });
  }

  onMessage(listener: (m: RevocationMessage) => void): void {
    this.listeners.push(listener);
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
