import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison; lengths follow the stored format and are not secret, as with Python's compare_digest. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
