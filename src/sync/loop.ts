/**
 * The background loop (docs/sync-protocol.md, 4.3 and 5 "Pull"): run a cycle; after a failure
 * sleep a jittered backoff (a hall's Retry-After is its floor); after a success with an empty
 * backlog, long-poll the hall until something changes. `nudge()` (a new outbox row) cuts any wait
 * short; `stop()` ends the loop after the cycle in flight.
 *
 * What counts as a failure (4.3): only a cycle the backoff timer started. A cycle a nudge started
 * while backing off (a resident submitting while the hall is away) is a free extra try: if it fails
 * the count stays, so twelve offline submissions do not push the next try minutes away. A failed
 * cycle that still moved the backlog down starts the count over. A 426 (this kiosk's protocol
 * version is no longer accepted) waits `UPGRADE_RETRY_MS` — a software update is needed, and the
 * hall may be rolled back — instead of the usual backoff. A hall that cannot be reached at all
 * (connection refused) is retried within `unreachableCapMs` (6 s), so a kiosk notices it is back.
 */
import { backoffDelay, DEFAULT_BACKOFF, isUnreachable, type BackoffPolicy } from './backoff.js';
import type { CycleResult } from './cycle.js';
import type { WakeUp } from './pull.js';
import { describeError } from './sync-error.js';
import type { SyncLogger } from './transport.js';

export type SyncLoop = { stop(): Promise<void>; nudge(): void };

/** How long the loop waits after a 426 before asking the hall again (docs/sync-protocol.md, 1). */
export const UPGRADE_RETRY_MS = 5 * 60 * 1000;

export function startLoop(deps: {
  runOnce: () => Promise<CycleResult>;
  waitForChanges: (signal: AbortSignal) => Promise<WakeUp>;
  logger: SyncLogger;
  /** [0, 1): jitter only. */
  random: () => number;
  backoff?: BackoffPolicy;
  /** Called after every cycle; a listener that throws is logged, never the loop's end. */
  onCycle?: (result: CycleResult) => void;
}): SyncLoop {
  const { logger, random } = deps;
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  let stopped = false;
  let wake = new AbortController();
  let failures = 0;
  let waitFailures = 0;

  /** Resolves 'timer' when the time ran out, 'nudge' when a nudge (or stop) cut it short. */
  const pause = (ms: number) =>
    new Promise<'timer' | 'nudge'>((resolve) => {
      // A nudge or stop() that came during the cycle has already fired: an abort listener added
      // now would never run, and stop() would wait out the whole backoff.
      if (wake.signal.aborted) return resolve('nudge');
      const t = setTimeout(() => resolve('timer'), ms);
      wake.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve('nudge');
        },
        { once: true },
      );
    });
  /** Why the cycle about to run was started: a nudge during a backoff is not counted. */
  let startedBy: 'timer' | 'nudge' = 'timer';

  const loop = (async () => {
    while (!stopped) {
      if (wake.signal.aborted) wake = new AbortController();
      const r = await deps.runOnce();
      try {
        deps.onCycle?.(r);
      } catch (e) {
        logger.error({ err: e }, 'sync onCycle listener failed');
      }
      if (stopped) break;
      if (!r.ok) {
        if (r.progressed === true) failures = 0;
        if (startedBy === 'timer' || failures === 0) failures++;
        const retryAfter = r.error.kind === 'http' ? r.error.retryAfterMs : 0;
        const delay =
          r.error.kind === 'http' && r.error.status === 426
            ? UPGRADE_RETRY_MS
            : backoffDelay(
                failures,
                random,
                isUnreachable(r.error) && policy.unreachableCapMs !== undefined
                  ? { ...policy, capMs: Math.min(policy.capMs, policy.unreachableCapMs) }
                  : policy,
                retryAfter,
              );
        logger.info(
          { error: describeError(r.error), delayMs: delay, failures },
          'sync cycle failed; backing off',
        );
        startedBy = await pause(delay);
        continue;
      }
      startedBy = 'timer';
      failures = 0;
      if (r.backlog > 0) continue;
      // A hall whose wake-up fails (down, or without /v1/wait) must not turn this into a busy
      // loop: back off before the next cycle.
      if ((await deps.waitForChanges(wake.signal)) === 'failed') {
        waitFailures++;
        await pause(backoffDelay(waitFailures, random, policy));
      } else waitFailures = 0;
    }
  })();

  return {
    nudge: () => wake.abort(),
    async stop() {
      stopped = true;
      wake.abort();
      await loop;
    },
  };
}
