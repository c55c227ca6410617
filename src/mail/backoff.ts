export interface BackoffPolicy {
  /** Delay after the first failed attempt; doubles with each further one. */
  baseMs: number;
  capMs: number;
  /** [0, 1); injectable so tests know the delay. */
  random: () => number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 30_000, capMs: 3_600_000, random: Math.random };

/**
 * Delay before the next try after `attempts` failed ones: base·2^(attempts-1) capped, then
 * scaled into [50%, 100%] so instances that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(exponential * (0.5 + 0.5 * policy.random())));
}
