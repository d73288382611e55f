/** Reconnect/retry delays: exponential, capped, so an unplugged reader costs almost nothing. */
export type BackoffPolicy = { initialMs: number; maxMs: number; factor: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 10_000, factor: 2 };

/** Delay before retry number `attempt` (0-based). */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const exp = Math.min(attempt, 30);
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** exp));
}
