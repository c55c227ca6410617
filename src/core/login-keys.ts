import { sql } from 'kysely';
import type { RequestMeta } from './audit.js';
import { createApiToken } from './api-tokens.js';
import type { Core } from './core.js';
import { afterCommit, inTransaction } from './transaction.js';

/** Login keys kept per user and name; the least recently used beyond this are dropped. */
export const loginKeysKept = 20;

/**
 * A DRF-style login key (`Authorization: Token <40 hex>`). DRF hands every login the same
 * key, which needs the plaintext kept; Gatehouse stores keys only as digests, so each login
 * gets a new key. So that repeated logins never reach the API-token cap, the least recently
 * used keys of the same name past `keep` are deleted in the same transaction.
 */
export async function issueLoginKey(core: Core, userId: number, name: string, meta: RequestMeta, keep = loginKeysKept): Promise<string> {
  return inTransaction(core, async (trx) => {
    const stale = await trx
      .selectFrom('api_tokens')
      .select(['id', 'token_hash'])
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .orderBy(sql`coalesce(last_used_at, created_at)`, 'desc')
      .orderBy('id')
      .limit(1000)
      .offset(Math.max(0, keep - 1))
      .execute();
    if (stale.length) {
      await trx.deleteFrom('api_tokens').where('id', 'in', stale.map((t) => t.id)).execute();
      await afterCommit(core, trx, () => core.apiTokens.forget(stale.map((t) => t.token_hash)));
    }
    return (await createApiToken(core, userId, { name }, meta, 'drf', trx)).key;
  });
}
