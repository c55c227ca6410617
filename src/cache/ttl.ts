/** Seconds → whole milliseconds (at least 1), for a TTL or window; rejects NaN and infinities as programming errors. */
export function ttlMs(seconds: number, what: string): number {
  if (!Number.isFinite(seconds)) throw new RangeError(`${what} must be a finite number of seconds, got ${seconds}`);
  return Math.max(1, Math.round(seconds * 1000));
}
