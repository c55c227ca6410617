import { deleteUserCodes, insertCode, type CodePurpose } from '../../store/codes-repo.js';
import type { Db } from '../context.js';
import { randomDigits, randomToken, tokenDigest } from '../secrets.js';
import { emailKey } from '../users/normalize.js';
import { codeDigest } from './code-digest.js';
import type { CodeCtx } from './context.js';

export interface IssuedCode {
  /** Opaque handle naming the request; stored only as the row id's digest. */
  requestId: string;
  code: string;
  /** The high-entropy token the mailed link carries. */
  linkToken: string;
  expiresAt: number;
  /** Lifetime in whole minutes, for the mail. */
  minutes: string;
}

/** Row id for a request handle: the handle itself is never stored. */
export const requestRowId = (requestId: string): string => tokenDigest(requestId);

/**
 * Creates a fresh code and link token for `email`, replacing the user's earlier codes of the
 * same purpose (a new request supersedes the old one). Runs in the caller's transaction. The code
 * has `digits` digits when the caller's API fixes them, otherwise the `otp_length` setting's; it
 * lives `ttlSeconds` (an invitation's longer life), otherwise the `otp_ttl` setting's.
 */
export async function issueCode(ctx: Pick<CodeCtx, 'clock' | 'settings' | 'secretKey'>, db: Db, input: { purpose: CodePurpose; userId: number; email: string; digits?: number; ttlSeconds?: number }): Promise<IssuedCode> {
  const now = ctx.clock.now();
  const ttl = input.ttlSeconds ?? ctx.settings.get('otp_ttl');
  const requestId = randomToken(32);
  const id = requestRowId(requestId);
  const code = randomDigits(input.digits ?? ctx.settings.get('otp_length'));
  const linkToken = randomToken(32);
  await deleteUserCodes(db, input.userId, [input.purpose]);
  await insertCode(db, {
    id,
    purpose: input.purpose,
    user_id: input.userId,
    email: input.email,
    email_key: emailKey(input.email),
    code_hash: codeDigest(ctx, id, code),
    token_hash: tokenDigest(linkToken),
    created_at: now,
    expires_at: now + ttl * 1000,
  });
  return { requestId, code, linkToken, expiresAt: now + ttl * 1000, minutes: String(Math.max(1, Math.round(ttl / 60))) };
}
