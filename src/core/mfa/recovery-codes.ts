import { randomBytes } from 'node:crypto';
import { recordAudit, type RequestMeta } from '../audit.js';
import type { Core } from '../core.js';
import { secretHmac } from '../secrets.js';
import { mailLocale } from '../locales.js';
import { inTransaction } from '../transaction.js';
import { displayName } from '../users/user.js';
import type { Db } from '../context.js';
import { recoveryCodesLeft, replaceRecoveryCodes, spendRecoveryCode } from '../../store/mfa-repo.js';

/**
 * Recovery codes: ten random codes of 12 base-32 characters (60 bits each), shown once as
 * `xxxx-xxxx-xxxx`, stored only as HMACs under the secret key (high entropy: no slow hash needed),
 * each used once (one conditional UPDATE: of any number of parallel presentations one succeeds).
 */
export const recoveryCodeCount = 10;
const alphabet = 'abcdefghjkmnpqrstvwxyz0123456789'; // 32 symbols, no i, l, o, u
const purpose = 'recovery-code';

export type RecoveryCodesCtx = Pick<Core, 'db' | 'log' | 'clock' | 'secretKey' | 'mailer' | 'users'>;

function newCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[bytes[i]! & 31];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** A code as typed: case, dashes and spaces do not matter; undefined when it cannot be one. */
export function normalizeRecoveryCode(code: unknown): string | undefined {
  if (typeof code !== 'string' || code.length > 64) return undefined;
  const bare = code.toLowerCase().replace(/[-\s]/g, '');
  return /^[a-z0-9]{12}$/.test(bare) ? bare : undefined;
}

const codeHash = (ctx: Pick<Core, 'secretKey'>, bare: string) => secretHmac(ctx.secretKey, purpose, bare).toString('base64url');

/** A fresh set of codes replaces the account's whole set inside the caller's transaction; the plain codes are returned once. */
export async function issueRecoveryCodes(ctx: Pick<Core, 'secretKey' | 'clock'>, trx: Db, userId: number): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, newCode);
  await replaceRecoveryCodes(trx, userId, codes.map((c) => codeHash(ctx, normalizeRecoveryCode(c)!)), ctx.clock.now());
  return codes;
}

/** Spends one of the account's recovery codes: audited and mailed (with how many are left). */
export async function useRecoveryCode(ctx: RecoveryCodesCtx, userId: number, code: unknown, meta: RequestMeta): Promise<boolean> {
  const bare = normalizeRecoveryCode(code);
  if (!bare) return false;
  const now = ctx.clock.now();
  // Read before the transaction: a pool connection asked for inside it could wait on the others.
  const user = await ctx.users.get(userId);
  return inTransaction(ctx, async (trx) => {
    if (!(await spendRecoveryCode(trx, userId, codeHash(ctx, bare), now))) return false;
    const left = await recoveryCodesLeft(trx, userId);
    await recordAudit(trx, { kind: 'mfa.recovery_code_used', at: now, userId, ip: meta.ip, userAgent: meta.userAgent, detail: { left } });
    if (user?.email) {
      await ctx.mailer.enqueue(trx, {
        kind: 'sign_in_method_changed',
        to: user.email,
        locale: mailLocale(user),
        data: { name: displayName(user), recovery_code_used: '1', left: String(left) },
      });
    }
    return true;
  });
}
