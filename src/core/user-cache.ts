import type { LRUCache } from 'lru-cache';
import type { Ctx } from './context.js';
import { boundedLru } from './lru.js';
import type { User } from './users/user.js';
import { findUserById } from '../store/users-repo.js';

const channel = 'users';
const ttlMs = 30_000;

/**
 * Recently read users, so an authenticated request costs no query. Every instance drops
 * an entry when any instance changes that user (pub/sub), and entries expire regardless.
 * At most GATEHOUSE_CACHE_MAX_ENTRIES users, least recently used dropped first: a flood of
 * distinct users pushes out cold entries one at a time, never the hot ones all at once.
 */
export class UserCache {
  private readonly entries: LRUCache<number, User>;

  constructor(private readonly ctx: Ctx) {
    this.entries = boundedLru(ctx.clock, ctx.config.cacheMaxEntries, ttlMs);
  }

  async init(): Promise<void> {
    await this.ctx.cache.subscribe(channel, (raw) => {
      const id = Number(raw);
      if (Number.isSafeInteger(id)) this.entries.delete(id);
      else this.entries.clear();
    });
  }

  async get(id: number): Promise<User | undefined> {
    const hit = this.entries.get(id);
    if (hit) return hit;
    const user = await findUserById(this.ctx.db, id);
    if (user) this.entries.set(id, user);
    else this.entries.delete(id);
    return user;
  }

  /** Call after the change commits. */
  async invalidate(id: number): Promise<void> {
    this.entries.delete(id);
    await this.ctx.cache.publish(channel, String(id)).catch((err) => this.ctx.log.warn({ err }, 'user invalidation not broadcast'));
  }

  clear(): void {
    this.entries.clear();
  }
}
