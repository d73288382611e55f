/**
 * Renderer crash recovery (docs/electron-shell.md, "Crash recovery": render-process-gone /
 * child-process-gone → reload with backoff; main-process fault → relaunch).
 *
 * Each failure schedules one reload of the app URL after an exponential delay (1 s, 2 s, 4 s … capped
 * at 60 s). The count of consecutive failures resets once the page has stayed up for a stable period
 * after its last recovery. When the count reaches the limit the whole app relaunches — a fresh main
 * process, GPU process and backend — and systemd (`Restart=always`) stays the outer supervisor.
 */
import type { ShellLogger } from './logger.js';

/** A clock seam: tests drive time with fake timers or a manual clock. */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the returned function cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export interface CrashRecoveryOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** The page counts as stable when this long has passed since its last recovery. */
  stableAfterMs: number;
  /** The failure that reaches this count relaunches the app instead of reloading. */
  maxConsecutiveFailures: number;
  /**
   * After the shell kills a hung renderer itself, the `render-process-gone` that follows within this
   * window is that kill, not a new failure.
   */
  selfKillGraceMs: number;
}

export const DEFAULT_CRASH_RECOVERY: CrashRecoveryOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableAfterMs: 120_000,
  maxConsecutiveFailures: 10,
  selfKillGraceMs: 10_000,
};

/** Delay before the reload that answers the `failureNumber`-th consecutive failure (1-based). */
export function backoffDelay(
  failureNumber: number,
  options: Pick<CrashRecoveryOptions, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  const exponent = Math.max(0, Math.min(failureNumber - 1, 30));
  return Math.min(options.baseDelayMs * 2 ** exponent, options.maxDelayMs);
}

export type FailureKind = 'render-process-gone' | 'child-process-gone' | 'unresponsive' | 'load-failed';

export type RecoveryAction =
  | { kind: 'reload-scheduled'; delayMs: number; consecutiveFailures: number }
  | { kind: 'relaunch'; consecutiveFailures: number }
  | { kind: 'ignored'; reason: 'stopped' | 'already-scheduled' | 'self-inflicted' | 'clean-exit' };

/** What recovery acts on: the window's webContents, behind a seam. */
export interface RecoveryTarget {
  /** Loads the app URL again (a fresh home screen: a crashed resident session is not resumed). */
  reload(): void;
  /** Kills a hung renderer so the following reload gets a new process. */
  killRenderer(): void;
  isDestroyed(): boolean;
}

export interface CrashRecoveryDeps {
  target: RecoveryTarget;
  /** `app.relaunch()` + exit; called at most once. */
  relaunch: () => void;
  clock: Clock;
  logger: ShellLogger;
  options?: Partial<CrashRecoveryOptions>;
}

export interface CrashRecovery {
  /** `reason` is the process-gone reason when there is one. */
  reportFailure(kind: FailureKind, reason?: string): RecoveryAction;
  /** The renderer answered again: a reload scheduled only because it hung is cancelled. */
  reportResponsive(): void;
  /** Quitting: no more reloads or relaunches. */
  stop(): void;
  consecutiveFailures(): number;
}

export function createCrashRecovery(deps: CrashRecoveryDeps): CrashRecovery {
  const options: CrashRecoveryOptions = { ...DEFAULT_CRASH_RECOVERY, ...deps.options };
  const { clock, logger, target } = deps;
  let failures = 0;
  let lastRecoveryAt: number | null = null;
  let pending: { kind: FailureKind; cancel: () => void } | null = null;
  let selfKillUntil: number | null = null;
  let stopped = false;

  const recover = (kind: FailureKind): void => {
    pending = null;
    if (stopped || target.isDestroyed()) return;
    if (kind === 'unresponsive') {
      selfKillUntil = clock.now() + options.selfKillGraceMs;
      target.killRenderer();
    }
    logger.info({ kind, consecutiveFailures: failures }, 'reloading the kiosk page');
    target.reload();
    lastRecoveryAt = clock.now();
  };

  return {
    reportFailure(kind, reason) {
      if (stopped) return { kind: 'ignored', reason: 'stopped' };
      const now = clock.now();
      if (kind === 'render-process-gone' && selfKillUntil !== null && now <= selfKillUntil) {
        selfKillUntil = null;
        return { kind: 'ignored', reason: 'self-inflicted' };
      }
      // Utility processes (audio, storage, network) exit cleanly when idle: not a fault.
      if (kind === 'child-process-gone' && reason === 'clean-exit')
        return { kind: 'ignored', reason: 'clean-exit' };
      if (pending !== null) return { kind: 'ignored', reason: 'already-scheduled' };

      if (lastRecoveryAt !== null && now - lastRecoveryAt >= options.stableAfterMs) failures = 0;
      failures += 1;
      logger.warn({ kind, reason, consecutiveFailures: failures }, 'kiosk page failure');

      if (failures >= options.maxConsecutiveFailures) {
        stopped = true;
        logger.error(
          { consecutiveFailures: failures },
          'too many consecutive failures; relaunching the kiosk',
        );
        deps.relaunch();
        return { kind: 'relaunch', consecutiveFailures: failures };
      }
      const delayMs = backoffDelay(failures, options);
      const cancel = clock.schedule(() => recover(kind), delayMs);
      pending = { kind, cancel };
      return { kind: 'reload-scheduled', delayMs, consecutiveFailures: failures };
    },
    reportResponsive() {
      if (pending?.kind !== 'unresponsive') return;
      pending.cancel();
      pending = null;
      logger.info({}, 'kiosk page responsive again; reload cancelled');
    },
    stop() {
      stopped = true;
      pending?.cancel();
      pending = null;
    },
    consecutiveFailures: () => failures,
  };
}
