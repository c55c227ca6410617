import type { Ctx } from './context.js';
import type { User } from './users/user.js';
import { findUserById } from '../store/users-repo.js';

const channel = 'users';
const ttlMs = 30_000;
const limit = 50_000;

/**
 * Recently read users, so an authenticated request costs no query. Every instance drops
 * an entry when any instance changes that user (pub/sub), and entries expire regardless.
 */
export class UserCache {
  private readonly entries = new Map<number, { user: User; at: number }>();

  constructor(private readonly ctx: Ctx) {}

  async init(): Promise<void> {
    await this.ctx.cache.subscribe(channel, (raw) => {
      const id = Number(raw);
      if (Number.isSafeInteger(id)) this.entries.delete(id);
      else this.entries.clear();
    });
  }

  async get(id: number): Promise<User | undefined> {
    const now = this.ctx.clock.now();
    const hit = this.entries.get(id);
    if (hit && now - hit.at < ttlMs) return hit.user;
    const user = await findUserById(this.ctx.db, id);
    if (user) {
      if (this.entries.size >= limit) this.entries.clear();
      this.entries.set(id, { user, at: now });
    } else this.entries.delete(id);
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
