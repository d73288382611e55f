/**
 * One sync cycle (docs/sync-protocol.md, 4 "Push", 5 "Pull" and 5c "Heartbeat"): push the outbox,
 * pull the change log, then — only after a successful cycle — the heartbeat. The outcome is recorded in
 * kiosk_config (sync state), which the home screen's network indicator and the technician console read.
 */
import type { NetworkStatus } from '../shared/index.js';
import { backlog, readSyncState, writeSyncState, type SyncDb } from './store.js';
import { describeError, type SyncError, type Synced } from './sync-error.js';

export type CycleResult =
  | { ok: true; pushed: number; pulled: number; backlog: number }
  | { ok: false; error: SyncError; backlog: number };

export type SyncStatus = {
  backlog: number;
  lastSuccessAt: string | null;
  lastError: string | null;
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
}): Cycle {
  const { db, clock } = deps;
  let running: Promise<CycleResult> | null = null;

  function record(outcome: CycleResult): CycleResult {
    const prev = readSyncState(db);
    const at = clock().toISOString();
    writeSyncState(
      db,
      outcome.ok
        ? { lastSuccessAt: at, lastError: prev.lastError, lastErrorAt: prev.lastErrorAt, online: true }
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
    const push = await deps.push();
    if (!push.ok) return record({ ok: false, error: push.error, backlog: backlog(db) });
    const pull = await deps.pull();
    if (!pull.ok) return record({ ok: false, error: pull.error, backlog: backlog(db) });
    const n = backlog(db);
    await deps.heartbeat(n);
    return record({ ok: true, pushed: push.value, pulled: pull.value, backlog: n });
  }

  function runOnce(): Promise<CycleResult> {
    running ??= cycle().finally(() => {
      running = null;
    });
    return running;
  }

  function status(): SyncStatus {
    const s = readSyncState(db);
    return { backlog: backlog(db), lastSuccessAt: s.lastSuccessAt, lastError: s.lastError, online: s.online };
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
