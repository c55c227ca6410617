import { randomBytes } from 'node:crypto';
import type { LRUCache } from 'lru-cache';
import { confirmPassword } from './account.js';
import { recordAudit, type RequestMeta } from './audit.js';
import type { Core } from './core.js';
import type { Db } from './context.js';
import { AuthError, FieldErrorBag } from './errors.js';
import { boundedLru } from './lru.js';
import { emitCoreEvent } from './observers.js';
import { randomToken, tokenDigest } from './secrets.js';
import { afterCommit, inTransaction } from './transaction.js';
import { isStorableText } from './users/normalize.js';

/** `gh_…` for native tokens; 40 hex characters where a DRF authtoken client expects that shape. */
export type ApiTokenFormat = 'native' | 'drf';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

function newKey(format: ApiTokenFormat): string {
  return format === 'drf' ? randomBytes(20).toString('hex') : `gh_${randomToken(30)}`;
}

const cacheTtlMs = 30_000;
const channel = 'api-tokens';

/** Resolves `Token <key>` credentials with a short in-memory LRU (GATEHOUSE_CACHE_MAX_ENTRIES), dropped on revocation everywhere. */
export class ApiTokenResolver {
  private readonly cache: LRUCache<string, { userId: number; id: string; expiresAt: number | null }>;

  constructor(private readonly core: Omit<Core, 'apiTokens'>) {
    this.cache = boundedLru(core.clock, core.config.cacheMaxEntries, cacheTtlMs);
  }

  async init(): Promise<void> {
    await this.core.cache.subscribe(channel, (digest) => {
      if (digest === '*') this.cache.clear();
      else this.cache.delete(digest);
    });
  }

  async resolve(key: string): Promise<{ userId: number; tokenId: string }> {
    if (key.length === 0 || key.length > 256) throw new AuthError('invalid_token', 'Invalid token.');
    const digest = tokenDigest(key);
    const now = this.core.clock.now();
    let entry = this.cache.get(digest);
    if (!entry) {
      const row = await this.core.db.selectFrom('api_tokens').select(['id', 'user_id', 'expires_at', 'last_used_at']).where('token_hash', '=', digest).executeTakeFirst();
      if (!row) {
        this.cache.delete(digest);
        throw new AuthError('invalid_token', 'Invalid token.');
      }
      entry = { userId: Number(row.user_id), id: row.id, expiresAt: row.expires_at };
      this.cache.set(digest, entry);
      // "Last used" is kept to the minute: one write per token per minute at most.
      if (row.last_used_at === null || now - row.last_used_at > 60_000) {
        void this.core.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute().catch(() => {});
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
      await this.core.cache.publish(channel, d).catch((err) => this.core.log.warn({ err }, 'api token revocation not broadcast'));
    }
  }
}

/** The field errors of a token's name and lifetime (none when both are fine). */
function checkTokenInput(input: { name?: unknown; expires_in_days?: unknown }): FieldErrorBag {
  const errors = new FieldErrorBag();
  const name = input.name === undefined ? 'API token' : input.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) errors.add('name', 'Enter a name of 1 to 100 characters.');
  else if (!isStorableText(name)) errors.add('name', 'Control characters and invalid Unicode are not allowed.');
  const days = input.expires_in_days;
  if (days !== undefined && days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650)) {
    errors.add('expires_in_days', 'Expected a whole number of days from 1 to 3650.');
  }
  return errors;
}

/**
 * A token the account holder mints for itself (the native API): only from a session, and only
 * with `current_password` — a stolen token or session cannot make itself a lasting credential.
 */
export async function mintPersonalApiToken(
  core: Core,
  userId: number,
  input: { name?: unknown; expires_in_days?: unknown; current_password?: unknown },
  meta: RequestMeta,
  credential: 'session' | 'token',
): Promise<{ token: ApiTokenView; key: string }> {
  if (credential !== 'session') throw new AuthError('permission_denied', 'An API token may not create API tokens; use a session and current_password.');
  const errors = checkTokenInput(input);
  if (typeof input.current_password !== 'string' || input.current_password === '') errors.add('current_password', 'This field is required.');
  errors.throwIfAny();
  await confirmPassword(core, userId, input.current_password, 'current_password', meta);
  return createApiToken(core, userId, { name: input.name, expires_in_days: input.expires_in_days }, meta);
}

/** Creates a personal token; the key is returned this once and stored only as a digest. */
export async function createApiToken(
  core: Core,
  userId: number,
  input: { name?: unknown; expires_in_days?: unknown },
  meta: RequestMeta,
  format: ApiTokenFormat = 'native',
  db: Db = core.db,
): Promise<{ token: ApiTokenView; key: string }> {
  checkTokenInput(input).throwIfAny();
  const name = input.name === undefined ? 'API token' : input.name;
  const days = input.expires_in_days;
  const count = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirst();
  if (Number(count?.n ?? 0) >= 100) throw new AuthError('validation_failed', 'Too many API tokens.', { non_field_errors: ['Delete an API token before creating another (100 at most).'] });
  const now = core.clock.now();
  const key = newKey(format);
  const token: ApiTokenView = {
    id: randomToken(12),
    name: (name as string).trim(),
    prefix: key.slice(0, 7),
    created_at: now,
    last_used_at: null,
    expires_at: typeof days === 'number' ? now + days * 86_400_000 : null,
  };
  const write = async (trx: Db) => {
    await trx.insertInto('api_tokens').values({ ...token, user_id: userId, token_hash: tokenDigest(key) }).execute();
    await recordAudit(trx, { kind: 'api_token.created', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { id: token.id, name: token.name } });
  };
  // One transaction: no token without its audit row (a caller's transaction already is one).
  if (db === core.db) await core.db.transaction().execute(write);
  else await write(db);
  emitCoreEvent({ type: 'token_issued', kind: 'api' });
  return { token, key };
}

export async function listApiTokens(core: Core, userId: number): Promise<ApiTokenView[]> {
  return core.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Deletes tokens of a user (one by id, or all); they stop working on every instance at once. */
export async function deleteApiTokens(core: Core, userId: number, id: string | undefined, meta: RequestMeta): Promise<number> {
  const count = await inTransaction(core, async (trx) => {
    let q = trx.deleteFrom('api_tokens').where('user_id', '=', userId);
    if (id !== undefined) q = q.where('id', '=', id);
    const deleted = await q.returning(['id', 'token_hash']).execute();
    if (deleted.length) {
      await recordAudit(trx, { kind: 'api_token.deleted', at: core.clock.now(), userId, ip: meta.ip, userAgent: meta.userAgent, detail: { ids: deleted.map((r) => r.id) } });
      await afterCommit(core, trx, () => core.apiTokens.forget(deleted.map((r) => r.token_hash)));
    }
    return deleted.length;
  });
  if (id !== undefined && count === 0) throw new AuthError('not_found', 'No such API token.');
  return count;
}
