import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import type { Db } from '../context.js';
import { displayName, type User } from '../users/user.js';
import { issueCode } from './issue-code.js';

/**
 * Mails a code and link that prove `email` belongs to `user`: `email_verification` for the
 * account's own address, `email_change` for an address waiting to replace it. Runs in the caller's transaction.
 */
export async function issueEmailVerification(core: Core, db: Db, user: User, email: string, purpose: 'email_verification' | 'email_change', meta?: RequestMeta): Promise<void> {
  const issued = await issueCode(core, db, { purpose, userId: user.id, email });
  await core.mailer.enqueue(db, { kind: 'email_verification', to: email, data: { name: displayName(user), code: issued.code, token: issued.linkToken, minutes: issued.minutes } });
  await recordAudit(db, { kind: 'email.verification_sent', at: core.clock.now(), userId: user.id, ip: meta?.ip, userAgent: meta?.userAgent, detail: { purpose } });
}
