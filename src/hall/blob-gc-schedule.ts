/**
 * The running hall collects its blob garbage by itself (docs/blob-store.md, "Scheduled GC"): every
 * `everyMs` (HALL_BLOB_GC_HOURS, default 24; 0 = never) it runs the GC of blob-maintenance.ts with
 * the retention of HALL_BLOB_RETENTION_DAYS (default 30).
 *
 * - At most one run at a time in this process (a run that is still going when the next is due makes
 *   that one skip), and across every node sharing the blob directory: a run first takes the
 *   maintenance lock (blob-maintenance-lock.ts); a node that finds it held skips this turn.
 * - The event loop is given back between steps (`collectGarbageInSteps`); the lock is touched after
 *   each step so a long run is not taken for stale.
 * - Each run is logged (what it removed, how long, its longest step); `close()` stops the schedule,
 *   ends a run in progress at its next step and waits for it, and releases the lock.
 */
import type { BlobMaintenance, GcReport } from './blob-maintenance.js';
import type { LockHolder } from './blob-maintenance-lock.js';

export const DEFAULT_BLOB_GC_HOURS = 24;
/** The first run comes this soon after start at the latest (a hall restarted daily still collects). */
const FIRST_RUN_MAX_DELAY_MS = 10 * 60_000;

export type GcRunOutcome =
  | {
      kind: 'done';
      report: GcReport & { stopped: boolean; steps: number; longestStepMs: number };
      ms: number;
    }
  | { kind: 'locked'; holder: LockHolder | null }
  | { kind: 'busy' }
  | { kind: 'failed'; error: string };

export type GcScheduleLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type GcScheduleStats = {
  runs: number;
  skippedLocked: number;
  skippedBusy: number;
  failed: number;
  last: GcRunOutcome | null;
};

export function scheduleBlobGc(deps: {
  maintenance: Pick<BlobMaintenance, 'collectGarbageInSteps' | 'acquireLock'>;
  /** 0: no scheduled runs (runNow still works). */
  everyMs: number;
  retentionDays: number;
  /** Packs and files younger than this are left alone (default blob-maintenance's hour). */
  graceMs?: number;
  /** This node's name in the lock and the logs. */
  node: string;
  log: GcScheduleLog;
  lockStaleMs?: number;
}) {
  const stats: GcScheduleStats = { runs: 0, skippedLocked: 0, skippedBusy: 0, failed: 0, last: null };
  let running: Promise<GcRunOutcome> | null = null;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;

  const finish = (o: GcRunOutcome): GcRunOutcome => {
    stats.last = o;
    return o;
  };

  async function run(): Promise<GcRunOutcome> {
    const got = deps.maintenance.acquireLock({
      node: deps.node,
      what: 'gc',
      ...(deps.lockStaleMs !== undefined ? { staleMs: deps.lockStaleMs } : {}),
    });
    if (!got.ok) {
      stats.skippedLocked += 1;
      deps.log.info({ holder: got.holder }, 'blob gc skipped: another run holds the maintenance lock');
      return finish({ kind: 'locked', holder: got.holder });
    }
    if (got.tookOverStale) deps.log.warn({ stale: got.tookOverStale }, 'blob gc took over a stale lock');
    const t0 = performance.now();
    try {
      const report = await deps.maintenance.collectGarbageInSteps(
        {
          retentionDays: deps.retentionDays,
          ...(deps.graceMs !== undefined ? { graceMs: deps.graceMs } : {}),
        },
        { shouldStop: () => stopping, afterStep: () => got.lock.touch() },
      );
      const ms = Math.round(performance.now() - t0);
      stats.runs += 1;
      deps.log.info(
        {
          removedBlobs: report.removedBlobs,
          removedBytes: report.removedBytes,
          packsDeleted: report.packsDeleted,
          packsCompacted: report.packsCompacted,
          strayFilesDeleted: report.strayFilesDeleted,
          reclaimedFileBytes: report.reclaimedFileBytes,
          problems: report.problems,
          stopped: report.stopped,
          steps: report.steps,
          longestStepMs: Math.round(report.longestStepMs),
          ms,
        },
        report.stopped ? 'blob gc stopped (the hall is closing)' : 'blob gc done',
      );
      return finish({ kind: 'done', report, ms });
    } catch (e) {
      stats.failed += 1;
      deps.log.error({ err: e }, 'blob gc failed');
      return finish({ kind: 'failed', error: (e as Error).message });
    } finally {
      got.lock.release();
    }
  }

  /** One run now (unless one is going: `busy`). */
  function runNow(): Promise<GcRunOutcome> {
    if (stopping) return Promise.resolve({ kind: 'failed', error: 'the hall is closing' });
    if (running) {
      stats.skippedBusy += 1;
      return Promise.resolve(finish({ kind: 'busy' }));
    }
    const p = run().finally(() => {
      running = null;
    });
    running = p;
    return p;
  }

  const plan = (delayMs: number) => {
    if (stopping || deps.everyMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      void runNow().finally(() => plan(deps.everyMs));
    }, delayMs);
    timer.unref();
  };
  plan(Math.min(deps.everyMs, FIRST_RUN_MAX_DELAY_MS));

  return {
    runNow,
    stats: (): GcScheduleStats => ({ ...stats }),
    running: () => running !== null,
    /** No more runs; a run in progress stops at its next step and is waited for. */
    async close(): Promise<void> {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}

export type BlobGcSchedule = ReturnType<typeof scheduleBlobGc>;
