import { pruneLoginKeys } from '../store/login-keys-repo.js';
import { createApiToken, type ApiTokensCtx } from './api-tokens.js';
import type { RequestMeta } from './audit.js';
import { afterCommit, inTransaction } from './transaction.js';

/** Login keys kept per user and name; the least recently used beyond this are dropped. */
export const loginKeysKept = 20;

/**
 * A DRF-style login key (`Authorization: Token <40 hex>`). DRF hands every login the same
 * key, which needs the plaintext kept; Gatehouse stores keys only as digests, so each login
 * gets a new key. So that repeated logins never reach the API-token cap, the least recently
 * used keys of the same name past `keep` are deleted in the same transaction.
 */
export async function issueLoginKey(ctx: ApiTokensCtx, userId: number, name: string, meta: RequestMeta, keep = loginKeysKept): Promise<string> {
  return inTransaction(ctx, async (trx) => {
    // Room for the key made below: `keep` in all.
    const stale = await pruneLoginKeys(trx, userId, name, keep - 1);
    if (stale.length) await afterCommit(ctx, trx, () => ctx.apiTokens.forget(stale));
    return (await createApiToken(ctx, userId, { name }, meta, 'drf', trx)).key;
  });
}
