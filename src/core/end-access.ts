import type { Core } from './core.js';
import type { Db } from './context.js';
import { revokeSessions, type RevokeCtx } from './sessions.js';
import { afterCommit } from './transaction.js';
import { deleteUserApiTokens } from '../store/api-tokens-repo.js';
import { voidPendingCodes } from '../store/codes-repo.js';
import { deleteUserConsoleSessions } from '../store/console-sessions-repo.js';
import { deleteUserDeviceTokens } from '../store/device-tokens-repo.js';
import { endDjangoTokens } from '../store/django-tokens-repo.js';
import { deleteUserEnrolmentTokens } from '../store/mfa-requirement-repo.js';

/** What ending access needs: revocation, and the caches to tell once committed. */
export type EndAccessCtx = RevokeCtx & Pick<Core, 'apiTokens' | 'users' | 'config'>;

/**
 * The credential that made the request, when it must survive (password change, logout-all):
 * a session id or an API-token id. Reset, deactivation and deletion keep nothing.
 */
export interface KeptCredential {
  exceptSessionId?: string;
  exceptApiTokenId?: string;
}

/** What ending an account's access did (for the audit row). */
export interface EndedAccess {
  userId: number;
  sessions: { id: string; expiresAt: number }[];
  apiTokenDigests: string[];
  consoleSessions: number;
  codesVoided: number;
}

/**
 * The one way to end an account's access, inside the caller's transaction: sessions (and so
 * their refresh tokens) revoked, API tokens and DRF login keys deleted, console sessions
 * deleted, pending one-time codes and reset grants used up — all but the kept credential.
 * `trx` must come from inTransaction: every instance hears of it once that transaction commits.
 */
export async function endAccess(core: EndAccessCtx, trx: Db, userId: number, reason: string, keep: KeptCredential = {}): Promise<EndedAccess> {
  const now = core.clock.now();
  const sessions = await revokeSessions(core, { userId, exceptSessionId: keep.exceptSessionId }, reason, trx);
  const apiTokenDigests = await deleteUserApiTokens(trx, userId, keep.exceptApiTokenId);
  const consoleSessions = await deleteUserConsoleSessions(trx, userId);
  // Clients the account trusted (core/device-tokens.ts) no longer skip its lock.
  await deleteUserDeviceTokens(trx, userId);
  // Refresh tokens of the system Gatehouse replaced (during a cut-over) die with the rest, and a
  // DRF key the old system made before this moment is never imported later (import-tokens.ts),
  // whether or not a cut-over signing key is configured: one row per account, upserted.
  await endDjangoTokens(trx, userId, now);
  // Enrolment-only credentials (core/mfa/enrolment-session.ts) go with the sessions they belong to.
  await deleteUserEnrolmentTokens(trx, userId);
  // Marked used, as a consumed code is: a code or grant mailed before this moment no longer works.
  const codesVoided = await voidPendingCodes(trx, userId, now);
  const ended: EndedAccess = { userId, sessions, apiTokenDigests, consoleSessions, codesVoided };
  // The sessions' revocation is published by revokeSessions, registered the same way.
  await afterCommit(core, trx, () => announceEndedAccess(core, ended));
  return ended;
}

/** After commit: every instance stops accepting the account's tokens and cached user at once. */
async function announceEndedAccess(core: Pick<EndAccessCtx, 'apiTokens' | 'users'>, ended: EndedAccess): Promise<void> {
  if (ended.apiTokenDigests.length) await core.apiTokens.forget(ended.apiTokenDigests);
  await core.users.invalidate(ended.userId);
}

/** The audit detail of an ending (counts only). */
export function endedDetail(ended: EndedAccess): Record<string, number> {
  return { sessions_revoked: ended.sessions.length, api_tokens_deleted: ended.apiTokenDigests.length, console_sessions_deleted: ended.consoleSessions, codes_voided: ended.codesVoided };
}
