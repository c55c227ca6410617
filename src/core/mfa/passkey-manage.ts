import { confirmPassword } from '../account.js';
import { requireStepUp } from './step-up.js';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { AuthError, FieldErrorBag } from '../errors.js';
import { inTransaction } from '../transaction.js';
import { deleteUserPasskey, findUserPasskey, listUserPasskeys, renameUserPasskey } from '../../store/passkeys-repo.js';
import { findUserById } from '../../store/users-repo.js';
import { checkPasskeyName, passkeyMail, passkeyView, type PasskeyView } from './passkey-views.js';

export type PasskeyManageCtx = Pick<Core, 'db' | 'log' | 'clock' | 'mailer'> & Parameters<typeof confirmPassword>[0];

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

function notFound(): AuthError {
  return new AuthError('not_found', 'No such passkey');
}

/** The account's passkeys (any credential of the account may read them, as it may read the profile). */
export async function listPasskeys(ctx: Pick<Core, 'db'>, userId: number): Promise<PasskeyView[]> {
  return (await listUserPasskeys(ctx.db, userId)).map(passkeyView);
}

/** Renames one of the account's passkeys; another account's id is not found. */
export async function renamePasskey(ctx: PasskeyManageCtx, userId: number, id: string, input: { name?: unknown }, meta: RequestMeta): Promise<PasskeyView> {
  const name = checkPasskeyName(input.name);
  if (!idPattern.test(id)) throw notFound();
  return inTransaction(ctx, async (trx) => {
    if (!(await renameUserPasskey(trx, userId, id, name))) throw notFound();
    await recordAudit(trx, { kind: 'passkey.renamed', at: ctx.clock.now(), userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { passkey_id: id, name } });
    return passkeyView((await findUserPasskey(trx, userId, id))!);
  });
}

/**
 * Removes one of the account's passkeys. Removing a factor weakens the account, so (as adding one)
 * it needs a session, `current_password` and the step-up (step-up.ts); audited and mailed.
 */
export async function removePasskey(
  ctx: PasskeyManageCtx,
  userId: number,
  id: string,
  input: { current_password?: unknown; code?: unknown },
  meta: RequestMeta,
  /** The requesting session; undefined for an API token. */
  sessionId: string | undefined,
): Promise<void> {
  if (!sessionId) throw new AuthError('permission_denied', 'An API token may not remove passkeys; use a session and current_password.');
  const errors = new FieldErrorBag();
  if (typeof input.current_password !== 'string' || input.current_password === '') errors.add('current_password', 'This field is required.');
  errors.throwIfAny();
  const user = await confirmPassword(ctx, userId, input.current_password, 'current_password', meta);
  await requireStepUp(ctx, user, { sessionId, code: input.code }, meta);
  if (!idPattern.test(id)) throw notFound();
  await inTransaction(ctx, async (trx) => {
    const removed = await deleteUserPasskey(trx, userId, id);
    if (!removed) throw notFound();
    await recordAudit(trx, { kind: 'passkey.removed', at: ctx.clock.now(), userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, detail: { passkey_id: id, name: removed.name } });
    const fresh = (await findUserById(trx, userId)) ?? user;
    if (fresh.email) await ctx.mailer.enqueue(trx, passkeyMail(fresh, 'removed', removed.name));
  });
}
