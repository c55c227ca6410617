import { recordAudit } from './audit.js';
import type { Core } from './core.js';
import type { AdminActor } from './admin/permissions.js';
import { AuthError, FieldErrorBag } from './errors.js';
import { randomToken, tokenDigest } from './secrets.js';
import { afterCommit, inTransaction } from './transaction.js';
import { isStorableText } from './users/normalize.js';
import { countLiveServiceKeys, findLiveServiceKey, lockServiceKeyCreation, findServiceKey, insertServiceKey, listServiceKeys, revokeServiceKey, touchServiceKey, type ServiceKeyRow } from '../store/service-keys-repo.js';

/**
 * Service keys: what resource servers present to read the revocation feed, and nothing else.
 * `gsk_` marks them so no other credential check mistakes one for its own kind (and vice versa).
 */
export const serviceKeyPrefix = 'gsk_';
/** Revocation of a key reaches every instance on this channel (open feed streams of that key end). */
export const serviceKeyChannel = 'service-keys';
const maxLiveKeys = 100;
const touchSlackMs = 60_000;

export type ServiceKeyView = ServiceKeyRow;

/** A key id as the API takes it (path parameter, CLI argument). */
export const serviceKeyIdPattern = '^[A-Za-z0-9_-]{1,32}$';

function checkName(name: unknown): string {
  const errors = new FieldErrorBag();
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) errors.add('name', 'Enter a name of 1 to 100 characters.');
  else if (!isStorableText(name)) errors.add('name', 'Control characters and invalid Unicode are not allowed.');
  errors.throwIfAny();
  return (name as string).trim();
}

/** Creates a key; the secret is returned this once and stored only as a digest. `actor` is absent from the CLI. */
export async function createServiceKey(core: Core, input: { name?: unknown }, actor?: AdminActor): Promise<{ serviceKey: ServiceKeyView; key: string }> {
  const name = checkName(input.name);
  const now = core.clock.now();
  const key = `${serviceKeyPrefix}${randomToken(32)}`;
  const serviceKey: ServiceKeyView = { id: randomToken(9), name, prefix: key.slice(0, 10), created_at: now, last_used_at: null, revoked_at: null, created_by: actor?.user.id ?? null };
  await inTransaction(core, async (trx) => {
    await lockServiceKeyCreation(trx);
    if ((await countLiveServiceKeys(trx)) >= maxLiveKeys) {
      throw new AuthError('validation_failed', 'Too many service keys.', { non_field_errors: [`Revoke a service key before creating another (${maxLiveKeys} at most).`] });
    }
    await insertServiceKey(trx, { ...serviceKey, key_hash: tokenDigest(key) });
    await recordAudit(trx, { kind: 'admin.service_key_created', at: now, actorId: actor?.user.id ?? null, ip: actor?.meta.ip ?? 'cli', userAgent: actor?.meta.userAgent, detail: { id: serviceKey.id, name } });
  });
  return { serviceKey, key };
}

/** Newest first (revoked keys too, with their revocation time). */
export async function listAllServiceKeys(core: Core): Promise<ServiceKeyView[]> {
  return listServiceKeys(core.db, 500);
}

/** Revokes a key: it stops authenticating at once, and open feed streams that use it end on every instance. */
export async function revokeServiceKeyById(core: Core, id: string, actor?: AdminActor): Promise<ServiceKeyView> {
  const revoked = await inTransaction(core, async (trx) => {
    const row = await revokeServiceKey(trx, id, core.clock.now());
    if (!row) return undefined;
    await recordAudit(trx, { kind: 'admin.service_key_revoked', at: row.revoked_at!, actorId: actor?.user.id ?? null, ip: actor?.meta.ip ?? 'cli', userAgent: actor?.meta.userAgent, detail: { id, name: row.name } });
    await afterCommit(core, trx, () => core.cache.publish(serviceKeyChannel, id).catch((err) => core.log.warn({ err }, 'service key revocation not broadcast')));
    return row;
  });
  if (revoked) return revoked;
  const existing = await findServiceKey(core.db, id);
  if (existing) throw new AuthError('conflict', 'This service key is already revoked.');
  throw new AuthError('not_found', 'No such service key.');
}

/** The live key a feed reader presented, or 401. No cache: a revoked key fails on its next request, on any instance. */
export async function authenticateServiceKey(core: Core, presented: string): Promise<{ keyId: string }> {
  const refused = () => new AuthError('invalid_token', 'The revocation feed takes a service key (Authorization: Bearer gsk_…).');
  if (!presented.startsWith(serviceKeyPrefix) || presented.length > 128) throw refused();
  const row = await findLiveServiceKey(core.db, tokenDigest(presented));
  if (!row) throw refused();
  const now = core.clock.now();
  if (row.last_used_at === null || now - row.last_used_at > touchSlackMs) {
    void touchServiceKey(core.db, row.id, now, touchSlackMs).catch((err) => core.log.warn({ err }, 'service key last use not recorded'));
  }
  return { keyId: row.id };
}
