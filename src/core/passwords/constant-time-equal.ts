import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two encoded digests in constant time. Their lengths are not secret (both follow
 * the stored hash's format), so a length mismatch may return early, as Python's compare_digest does.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
