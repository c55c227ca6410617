import { randomBytes } from 'node:crypto';
import { countUserApiTokens, deleteApiTokensOf, insertApiToken, listUserApiTokens, type ApiTokenRow } from '../store/api-tokens-repo.js';
import { confirmPassword } from './account.js';
import { requireStepUp } from './mfa/step-up.js';
import type { ApiTokenResolver } from './api-token-resolver.js';
import { recordAudit, type RequestMeta } from './audit.js';
import type { Ctx, Db } from './context.js';
import { AuthError, FieldErrorBag } from './errors.js';
import { emitCoreEvent } from './observers.js';
import { randomToken, tokenDigest } from './secrets.js';
import { afterCommit, inTransaction } from './transaction.js';
import { isStorableText } from './users/normalize.js';

/** What the API-token use cases need: the database, a clock, a log for after-commit effects, and the resolver whose caches forget deleted tokens. */
export type ApiTokensCtx = Pick<Ctx, 'db' | 'clock' | 'log'> & { apiTokens: Pick<ApiTokenResolver, 'forget'> };

/** `gh_…` for native tokens; 40 hex characters where a DRF authtoken client expects that shape. */
export type ApiTokenFormat = 'native' | 'drf';

export type ApiTokenView = ApiTokenRow;

/** An account may hold this many tokens (login keys included). */
const maxTokensPerUser = 100;

function newKey(format: ApiTokenFormat): string {
  return format === 'drf' ? randomBytes(20).toString('hex') : `gh_${randomToken(30)}`;
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
 * with `current_password` and the step-up (mfa/step-up.ts) — a stolen token or session cannot make
 * itself a lasting credential.
 */
export async function mintPersonalApiToken(
  core: ApiTokensCtx & Parameters<typeof confirmPassword>[0],
  userId: number,
  input: { name?: unknown; expires_in_days?: unknown; current_password?: unknown; code?: unknown },
  meta: RequestMeta,
  /** The requesting session; undefined for an API token. */
  sessionId: string | undefined,
): Promise<{ token: ApiTokenView; key: string }> {
  if (!sessionId) throw new AuthError('permission_denied', 'An API token may not create API tokens; use a session and current_password.');
  const errors = checkTokenInput(input);
  if (typeof input.current_password !== 'string' || input.current_password === '') errors.add('current_password', 'This field is required.');
  errors.throwIfAny();
  const user = await confirmPassword(core, userId, input.current_password, 'current_password', meta);
  await requireStepUp(core, user, { sessionId, code: input.code }, meta);
  return createApiToken(core, userId, { name: input.name, expires_in_days: input.expires_in_days }, meta);
}

/** Creates a personal token; the key is returned this once and stored only as a digest. */
export async function createApiToken(
  ctx: ApiTokensCtx,
  userId: number,
  input: { name?: unknown; expires_in_days?: unknown },
  meta: RequestMeta,
  format: ApiTokenFormat = 'native',
  db: Db = ctx.db,
): Promise<{ token: ApiTokenView; key: string }> {
  checkTokenInput(input).throwIfAny();
  const name = input.name === undefined ? 'API token' : input.name;
  const days = input.expires_in_days;
  if ((await countUserApiTokens(db, userId)) >= maxTokensPerUser) {
    throw new AuthError('validation_failed', 'Too many API tokens.', { non_field_errors: [`Delete an API token before creating another (${maxTokensPerUser} at most).`] });
  }
  const now = ctx.clock.now();
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
    await insertApiToken(trx, { ...token, user_id: userId, token_hash: tokenDigest(key) });
    await recordAudit(trx, { kind: 'api_token.created', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { id: token.id, name: token.name } });
  };
  // One transaction: no token without its audit row (a caller's transaction is joined).
  await inTransaction(ctx, write, db);
  emitCoreEvent({ type: 'token_issued', kind: 'api' });
  return { token, key };
}

export async function listApiTokens(ctx: Pick<Ctx, 'db'>, userId: number): Promise<ApiTokenView[]> {
  return listUserApiTokens(ctx.db, userId);
}

/** Deletes tokens of a user (one by id, or all); they stop working on every instance at once. */
export async function deleteApiTokens(ctx: ApiTokensCtx, userId: number, id: string | undefined, meta: RequestMeta): Promise<number> {
  const count = await inTransaction(ctx, async (trx) => {
    const deleted = await deleteApiTokensOf(trx, userId, id);
    if (deleted.length) {
      await recordAudit(trx, { kind: 'api_token.deleted', at: ctx.clock.now(), userId, ip: meta.ip, userAgent: meta.userAgent, detail: { ids: deleted.map((r) => r.id) } });
      await afterCommit(ctx, trx, () => ctx.apiTokens.forget(deleted.map((r) => r.token_hash)));
    }
    return deleted.length;
  });
  if (id !== undefined && count === 0) throw new AuthError('not_found', 'No such API token.');
  return count;
}
