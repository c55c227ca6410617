import { AuthError } from '../errors.js';
import type { AdminActor } from './permissions.js';
import { activateUserAsAdmin, deactivateUser, type UserAdminCtx } from './user-access.js';

export const bulkActions = ['activate', 'deactivate'] as const;
export type BulkAction = (typeof bulkActions)[number];

export interface BulkOutcome {
  id: number;
  ok: boolean;
  code?: string;
  message?: string;
}

/** Applies one action to many accounts, each on its own (one refusal does not stop the rest). */
export async function bulkUserAction(ctx: UserAdminCtx, actor: AdminActor, action: BulkAction, ids: number[]): Promise<BulkOutcome[]> {
  const unique = [...new Set(ids)].slice(0, 200);
  const outcomes: BulkOutcome[] = [];
  for (const id of unique) {
    try {
      if (action === 'activate') await activateUserAsAdmin(ctx, actor, id);
      else await deactivateUser(ctx, actor, id);
      outcomes.push({ id, ok: true });
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      outcomes.push({ id, ok: false, code: err.code, message: err.message });
    }
  }
  return outcomes;
}
