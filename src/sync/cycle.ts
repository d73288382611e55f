/**
 * One sync cycle (docs/sync-protocol.md, 4 "Push", 5 "Pull" and 5c "Heartbeat"): push the outbox,
 * pull the change log, then — only after a successful cycle — the heartbeat. The outcome is recorded in
 * kiosk_config (sync state), which the home screen's network indicator and the technician console read.
 */
import type { NetworkStatus } from '../shared/index.js';
import { backlog, readSyncState, writeSyncState, type SyncDb } from './store.js';
import { describeError, type SyncError, type Synced } from './sync-error.js';

/**
 * `progressed`: a failed cycle still moved the backlog down (some entries reached the hall before
 * the failure) — the loop's backoff starts over (loop.ts).
 */
export type CycleResult =
  | { ok: true; pushed: number; pulled: number; backlog: number }
  | { ok: false; error: SyncError; backlog: number; progressed?: boolean };

export type SyncStatus = {
  backlog: number;
  lastSuccessAt: string | null;
  /** The last failure's description; cleared by the next successful cycle. */
  lastError: string | null;
  lastErrorAt: string | null;
  online: boolean;
};

export type Cycle = {
  /** One push + pull cycle; concurrent callers share the cycle in flight. */
  runOnce: () => Promise<CycleResult>;
  status: () => SyncStatus;
  /** The home screen's network indicator (shared NetworkStatus). */
  networkStatus: () => NetworkStatus;
};

/**
 * Only an unreachable hall makes the kiosk offline; a 4xx means it is reachable. An answer the hall did
 * not sign means the kiosk is not talking to its hall at all.
 */
const meansOffline = (e: SyncError): boolean =>
  e.kind === 'network' || e.kind === 'untrusted-answer' || (e.kind === 'http' && e.status >= 500);

export function createCycle(deps: {
  db: SyncDb;
  clock: () => Date;
  push: () => Promise<Synced<number>>;
  pull: () => Promise<Synced<number>>;
  /** Reported after a successful cycle; must not throw (a failed heartbeat is not the cycle's). */
  heartbeat: (backlog: number) => Promise<void>;
  /** Called as each cycle begins (batch sync forgets what the last cycle's requests carried). */
  begin?: () => void;
}): Cycle {
  const { db, clock } = deps;
  let running: Promise<CycleResult> | null = null;

  function record(outcome: CycleResult): CycleResult {
    const prev = readSyncState(db);
    const at = clock().toISOString();
    writeSyncState(
      db,
      outcome.ok
        ? // A success clears the error: a technician reads the state as it is now (the failure
          // is in the log).
          { lastSuccessAt: at, lastError: null, lastErrorAt: null, online: true }
        : {
            lastSuccessAt: prev.lastSuccessAt,
            lastError: describeError(outcome.error),
            lastErrorAt: at,
            online: !meansOffline(outcome.error),
          },
      at,
    );
    return outcome;
  }

  async function cycle(): Promise<CycleResult> {
    deps.begin?.();
    const before = backlog(db);
    const failed = (error: SyncError): CycleResult => {
      const n = backlog(db);
      return record({ ok: false, error, backlog: n, progressed: n < before });
    };
    const push = await deps.push();
    if (!push.ok) return failed(push.error);
    let pushed = push.value;
    const pull = await deps.pull();
    if (!pull.ok) return failed(pull.error);
    // The pull may have reopened entries a restored hall lost (pull.ts), or a resident submitted
    // meanwhile: push once more now rather than a cycle later.
    if (backlog(db) > 0) {
      const again = await deps.push();
      if (!again.ok) return failed(again.error);
      pushed += again.value;
    }
    const n = backlog(db);
    await deps.heartbeat(n);
    return record({ ok: true, pushed, pulled: pull.value, backlog: n });
  }

  function runOnce(): Promise<CycleResult> {
    running ??= cycle().finally(() => {
      running = null;
    });
    return running;
  }

  function status(): SyncStatus {
    const s = readSyncState(db);
    return {
      backlog: backlog(db),
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt,
      online: s.online,
    };
  }

  function networkStatus(): NetworkStatus {
    const s = readSyncState(db);
    const n = backlog(db);
    if (s.online && s.lastSuccessAt !== null)
      return { state: 'online', lastSuccessAt: s.lastSuccessAt, backlog: n };
    return { state: 'offline', since: s.lastErrorAt, lastError: s.lastError, backlog: n };
  }

  return { runOnce, status, networkStatus };
}
