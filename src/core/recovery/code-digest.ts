import { createHmac, hkdfSync } from 'node:crypto';
import type { CodeCtx } from './context.js';

const derived = new Map<string, Buffer>();

function codeKey(secret: string): Buffer {
  let key = derived.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', 'one-time-code', 32));
    derived.set(secret, key);
  }
  return key;
}

/**
 * How a one-time code is stored. A 6-digit code has 20 bits: a plain hash would fall to an
 * offline search of a leaked row, so it is an HMAC under the server secret, bound to its row.
 */
export function codeDigest(ctx: Pick<CodeCtx, 'secretKey'>, rowId: string, code: string): string {
  return createHmac('sha256', codeKey(ctx.secretKey)).update(`${rowId}\u0000${code}`, 'utf8').digest('base64url');
}
