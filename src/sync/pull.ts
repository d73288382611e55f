/**
 * Pull (docs/sync-protocol.md, 5 "Pull"): the hall's change log from the stored
 * cursor, one transaction per page (`applyPage`, with the backend's applier for the streams it
 * owns). A cursor the hall no longer knows ("must refetch") is answered with a full snapshot, once
 * per pull. The long-poll asks the hall whether anything changed after the cursor.
 */
import { err, ok } from '../shared/result.js';
import { changesResponse, mustRefetchResponse, snapshotResponse, waitResponse } from './protocol.js';
import { applyPage, readCursor, reopenLostEntries, type ChangeApplier, type SyncDb } from './store.js';
import { stuck, type Synced } from './sync-error.js';
import { parseReply, type SyncLogger, type Transport } from './transport.js';

const MAX_PULL_PAGES = 10_000;
const PAGE_LIMIT = 500;
/** The hall holds a long-poll at most this long. */
export const MAX_WAIT_MS = 25_000;
/** How much longer than the long-poll itself the kiosk waits for its answer. */
const WAIT_GRACE_MS = 5_000;

export type WakeUp = 'changed' | 'quiet' | 'failed';

export type Puller = {
  /** Pulls until the hall has no more; the value is the number of records stored. */
  pullAll: () => Promise<Synced<number>>;
  /**
   * Long-poll wake-up: 'changed' when the hall has changes after the cursor (or the wait was cut
   * short by `signal`), 'quiet' when the wait ran out, 'failed' when the hall did not answer it.
   */
  waitForChanges: (signal: AbortSignal) => Promise<WakeUp>;
  /**
   * One `GET /v1/changes` answer that came another way (the batch-sync answer's pull part,
   * batch-sync.ts): 200 → applied like a page of pullAll, the value `done` unless the hall has more;
   * anything else (410, an error) → `again`, and pullAll asks by itself.
   */
  applyAnswer: (status: number, body: unknown) => Synced<'done' | 'more' | 'again'> & { pulled?: number };
};

export function createPuller(deps: {
  db: SyncDb;
  transport: Transport;
  clock: () => Date;
  logger: SyncLogger;
  applier: ChangeApplier;
  /** Upper bound of one long-poll (capped at the hall's `MAX_WAIT_MS`). */
  waitMs?: number;
  /** The enrolment's first seq: rows before it belong to an earlier hall and are never reopened. */
  firstSeq?: number;
}): Puller {
  const { db, transport, clock, logger, applier } = deps;

  /**
   * The hall says how far it has applied this kiosk's outbox (5.1): behind rows acknowledged here,
   * it was restored and lost them — they are pending again and the cycle pushes them at once.
   */
  function checkLastApplied(lastAppliedSeq: number | null | undefined): void {
    if (lastAppliedSeq === null || lastAppliedSeq === undefined) return;
    const n = reopenLostEntries(db, lastAppliedSeq, deps.firstSeq ?? 1, clock().toISOString());
    if (n > 0)
      logger.warn(
        { lastAppliedSeq, entries: n },
        'the hall lost acknowledged entries (restored?); resending',
      );
  }
  const waitMs = Math.min(deps.waitMs ?? MAX_WAIT_MS, MAX_WAIT_MS);

  /** A full snapshot after a "must refetch" answer; the cursor is stored with the last page. */
  async function refetch(): Promise<Synced<number>> {
    let after = '';
    let cursor: string | null = null;
    let pulled = 0;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const sent = await transport.send(
        'GET',
        `v1/snapshot?after=${encodeURIComponent(after)}&limit=${PAGE_LIMIT}`,
      );
      if (!sent.ok) return sent;
      if (sent.value.status !== 200) return err(transport.httpError(sent.value));
      const p = parseReply(snapshotResponse, sent.value, 'snapshot');
      if (!p.ok) return p;
      cursor ??= p.value.cursor;
      const last = !p.value.hasMore;
      // Snapshot records are authoritative: applied without the version guard.
      pulled += applyPage(db, p.value.records, last ? cursor : null, clock().toISOString(), {
        guard: false,
        applier,
        epoch: p.value.epoch,
      }).applied;
      checkLastApplied(p.value.lastAppliedSeq);
      if (last) return ok(pulled);
      after = p.value.nextAfter;
    }
    return stuck('snapshot did not finish within its page limit');
  }

  async function pullAll(): Promise<Synced<number>> {
    let pulled = 0;
    let refetched = false;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const cursor = readCursor(db);
      const sent = await transport.send(
        'GET',
        `v1/changes?cursor=${encodeURIComponent(cursor)}&limit=${PAGE_LIMIT}`,
      );
      if (!sent.ok) return sent;
      const r = sent.value;
      if (r.status === 410 && mustRefetchResponse.safeParse(r.body).success && !refetched) {
        logger.warn(
          { cursor, reason: mustRefetchResponse.parse(r.body).reason },
          'hall asks for a full refetch',
        );
        refetched = true;
        const s = await refetch();
        if (!s.ok) return s;
        pulled += s.value;
        continue;
      }
      if (r.status !== 200) return err(transport.httpError(r));
      const p = parseReply(changesResponse, r, 'changes');
      if (!p.ok) return p;
      pulled += applyPage(db, p.value.changes, p.value.nextCursor, clock().toISOString(), {
        guard: true,
        applier,
        epoch: p.value.epoch,
      }).applied;
      checkLastApplied(p.value.lastAppliedSeq);
      if (!p.value.hasMore) return ok(pulled);
    }
    return stuck('pull did not finish within its page limit');
  }

  async function waitForChanges(signal: AbortSignal): Promise<WakeUp> {
    const cursor = readCursor(db);
    const sent = await transport.send(
      'GET',
      `v1/wait?cursor=${encodeURIComponent(cursor)}&timeoutMs=${waitMs}`,
      {
        timeout: waitMs + WAIT_GRACE_MS,
        signal,
      },
    );
    if (signal.aborted) return 'changed';
    if (!sent.ok || sent.value.status !== 200) return 'failed';
    const p = waitResponse.safeParse(sent.value.body);
    if (!p.success) return 'failed';
    return p.data.changed ? 'changed' : 'quiet';
  }

  function applyAnswer(
    status: number,
    body: unknown,
  ): Synced<'done' | 'more' | 'again'> & { pulled?: number } {
    if (status !== 200) return ok('again' as const);
    const p = changesResponse.safeParse(body);
    if (!p.success) return err({ kind: 'protocol', message: 'malformed changes answer (batch sync)' });
    const pulled = applyPage(db, p.data.changes, p.data.nextCursor, clock().toISOString(), {
      guard: true,
      applier,
      epoch: p.data.epoch,
    }).applied;
    checkLastApplied(p.data.lastAppliedSeq);
    return { ...ok(p.data.hasMore ? ('more' as const) : ('done' as const)), pulled };
  }

  return { pullAll, waitForChanges, applyAnswer };
}
