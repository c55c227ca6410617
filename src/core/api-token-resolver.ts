import type { LRUCache } from 'lru-cache';
import { findApiTokenByDigest, touchApiToken } from '../store/api-tokens-repo.js';
import type { Ctx } from './context.js';
import { AuthError } from './errors.js';
import { boundedLru } from './lru.js';
import { tokenDigest } from './secrets.js';

/** What resolving tokens needs: the database, the shared cache for revocations, a clock, the LRU size and a log. */
export type ApiTokenResolverCtx = Pick<Ctx, 'db' | 'cache' | 'clock' | 'log'> & { config: Pick<Ctx['config'], 'cacheMaxEntries'> };

const cacheTtlMs = 30_000;
const channel = 'api-tokens';

/** Resolves `Token <key>` credentials with a short in-memory LRU (GATEHOUSE_CACHE_MAX_ENTRIES), dropped on revocation everywhere. */
export class ApiTokenResolver {
  private readonly cache: LRUCache<string, { userId: number; id: string; expiresAt: number | null }>;

  constructor(private readonly ctx: ApiTokenResolverCtx) {
    this.cache = boundedLru(ctx.clock, ctx.config.cacheMaxEntries, cacheTtlMs);
  }

  async init(): Promise<void> {
    await this.ctx.cache.subscribe(channel, (digest) => {
      if (digest === '*') this.cache.clear();
      else this.cache.delete(digest);
    });
  }

  async resolve(key: string): Promise<{ userId: number; tokenId: string }> {
    if (key.length === 0 || key.length > 256) throw new AuthError('invalid_token', 'Invalid token.');
    const digest = tokenDigest(key);
    const now = this.ctx.clock.now();
    let entry = this.cache.get(digest);
    if (!entry) {
      const row = await findApiTokenByDigest(this.ctx.db, digest);
      if (!row) {
        this.cache.delete(digest);
        throw new AuthError('invalid_token', 'Invalid token.');
      }
      entry = { userId: row.userId, id: row.id, expiresAt: row.expiresAt };
      this.cache.set(digest, entry);
      // "Last used" is kept to the minute: one write per token per minute at most.
      if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000) {
        void touchApiToken(this.ctx.db, row.id, now).catch(() => {});
      }
    }
    if (entry.expiresAt !== null && entry.expiresAt <= now) throw new AuthError('token_expired', 'Token has expired.');
    return { userId: entry.userId, tokenId: entry.id };
  }

  /** Drops this instance's cached tokens only (after missed invalidations); the next use re-reads the database. */
  clear(): void {
    this.cache.clear();
  }

  async forget(digests: string[] | '*'): Promise<void> {
    const list = digests === '*' ? ['*'] : digests;
    for (const d of list) {
      if (d === '*') this.cache.clear();
      else this.cache.delete(d);
      await this.ctx.cache.publish(channel, d).catch((err) => this.ctx.log.warn({ err }, 'api token revocation not broadcast'));
    }
  }
}
