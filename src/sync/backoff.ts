/**
 * Retry delays: "full jitter" exponential backoff (a random point in [0, min(cap, base·2^n)]), so a
 * fleet of kiosks coming back online after an outage does not hit the hall in lockstep. A hall's
 * Retry-After is a floor.
 */
export type BackoffPolicy = {
  baseMs: number;
  capMs: number;
  /**
   * The cap while the hall cannot be reached at all (connection refused, no route, no name): such
   * a try costs the hall nothing, and a kiosk must notice within seconds that it is back — a
   * backlog of offline applications reaches it within 10 s (docs/sync-protocol.md, 4.3). An
   * overloaded hall (5xx, timeouts, resets) still gets the long cap and its Retry-After.
   */
  unreachableCapMs?: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 5 * 60 * 1000, unreachableCapMs: 6000 };

/** Network failures that mean nothing answered at the hall's address. */
const UNREACHABLE = /\b(ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)\b/;
export const isUnreachable = (e: { kind: string; message?: string }): boolean =>
  e.kind === 'network' && UNREACHABLE.test(e.message ?? '');

export function backoffDelay(
  failures: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  retryAfterMs = 0,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  const jittered = Math.floor(Math.min(Math.max(random(), 0), 1) * exp);
  return Math.max(jittered, Math.min(retryAfterMs, policy.capMs));
}

/** Retry-After as seconds or an HTTP date → milliseconds (0 when absent or unreadable). */
export function parseRetryAfter(value: string | null, now: Date): number {
  if (value === null || value.trim() === '') return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now.getTime());
}
