import { recordAudit, type RequestMeta } from '../audit.js';
import type { Db } from '../context.js';
import { displayName, type User } from '../users/user.js';
import type { RecoveryCtx } from './context.js';
import { issueCode } from './issue-code.js';
import { mailLocale } from '../locales.js';

/**
 * Mails a code and link that prove `email` belongs to `user`: `email_verification` for the
 * account's own address, `email_change` for an address waiting to replace it. Runs in the caller's transaction.
 */
export async function issueEmailVerification(ctx: Omit<RecoveryCtx, 'db' | 'log'>, db: Db, user: User, email: string, purpose: 'email_verification' | 'email_change', meta?: RequestMeta): Promise<void> {
  const issued = await issueCode(ctx, db, { purpose, userId: user.id, email });
  await ctx.mailer.enqueue(db, { kind: 'email_verification', to: email, data: { name: displayName(user), code: issued.code, token: issued.linkToken, minutes: issued.minutes }, locale: mailLocale(user) });
  await recordAudit(db, { kind: 'email.verification_sent', at: ctx.clock.now(), userId: user.id, ip: meta?.ip, userAgent: meta?.userAgent, detail: { purpose } });
}
