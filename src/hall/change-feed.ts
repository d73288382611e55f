/**
 * The change log kiosks pull (docs/sync-protocol.md, "Pull"): append a change for one kiosk or
 * every kiosk, page through it from a cursor, take a snapshot of the latest records for a refetch,
 * long-poll for the next change, and forget changes older than the retention window (a cursor
 * before them must refetch).
 *
 * Epochs (docs/sync-protocol.md, 5.1): the log has an identity, carried in every cursor
 * (`<epoch>.<position>`). A hall restored from a backup hands out positions and versions again that
 * its kiosks have already passed; a cursor of another epoch — or of this epoch but beyond anything
 * it wrote, or a position the change-log mark outside the database says was given out — means the
 * history changed: 410 `history-changed`, and the kiosk refetches a snapshot.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_CHANGES_PAGE } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import { createInProcessNotifier, HALL_CHANNELS, type HallNotifier } from './notifier.js';
import type { ChangeStore, EpochReason, EpochStore, HallSql, LogEpoch } from './store/index.js';

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type Change = {
  position: number;
  stream: string;
  key: string;
  op: 'put' | 'del';
  version: number;
  data: unknown;
};

/**
 * Where the log was last seen, kept outside the database (the reference hall: a small file in the
 * data directory): a database restored under a running installation is behind it.
 */
export type ChangeLogMark = { epoch: string; position: number };
export type ChangeLogMarkStore = { read(): ChangeLogMark | null; write(mark: ChangeLogMark): void };

const CURSOR = /^([0-9a-f]{8,64})\.(\d{1,15})\.([0-9a-f]{16})$/;
const LEGACY_CURSOR = /^\d{1,15}$/;

type CursorRead =
  /** `issued`: the hall's tag vouches for it (a bare position of the old format has none). */
  { kind: 'position'; position: number; issued: boolean } | { kind: 'history-changed' } | { kind: 'bad' };

export async function createChangeFeed(deps: {
  sql: HallSql;
  changes: ChangeStore;
  epochs: EpochStore;
  clock: () => Date;
  retentionMs?: number;
  /** The kiosk's lastAppliedSeq, carried in pull answers (a restored hall's kiosk resends at once). */
  lastAppliedSeq?: (kioskId: string) => Promise<number | undefined>;
  mark?: ChangeLogMarkStore;
  /**
   * Who is told "kiosk X has a change" (notifier.ts): in-process by default; with several hall
   * nodes PostgreSQL LISTEN/NOTIFY, so a long-poll on one node wakes for a change made on another.
   */
  notifier?: HallNotifier;
}) {
  const { sql, changes: store, epochs, clock } = deps;
  const retentionMs = deps.retentionMs ?? DEFAULT_RETENTION_MS;
  const notifier = deps.notifier ?? createInProcessNotifier();
  /** Payload: the kiosk id, or `*` for a change every kiosk sees (and a new epoch). */
  const announce = (kioskId: string | null) => void notifier.publish(HALL_CHANNELS.changes, kioskId ?? '*');
  const iso = () => clock().toISOString();

  const writeMark = async () => {
    if (!deps.mark) return;
    try {
      deps.mark.write({ epoch: (await epochs.current()).id, position: await store.maxPosition() });
    } catch {
      // The mark is a hint for noticing a restore; the database is the record.
    }
  };

  /** Starts a new epoch: every kiosk's cursor now belongs to another history. */
  async function startEpoch(reason: EpochReason): Promise<LogEpoch> {
    const e = await epochs.start(reason, iso());
    await writeMark();
    announce(null);
    return e;
  }

  /** At start: a database behind the mark (or without the mark's epoch) was restored under us. */
  async function checkMark(): Promise<void> {
    if (!deps.mark) return;
    let mark: ChangeLogMark | null;
    try {
      mark = deps.mark.read();
    } catch {
      mark = null;
    }
    const current = await epochs.current();
    if (
      mark !== null &&
      (!(await epochs.has(mark.epoch)) ||
        (mark.epoch === current.id && mark.position > (await store.maxPosition())))
    )
      await startEpoch('detected-restore');
    else await writeMark();
  }
  await checkMark();

  /**
   * Cursors carry a tag (HMAC of epoch and position under a key kept in hall_meta): a kiosk cannot
   * forge a cursor beyond the log to make the hall start a new epoch — and every kiosk refetch.
   */
  const cursorKey = await (async (): Promise<Buffer> => {
    const held = await store.meta('cursor_key');
    if (held !== undefined && /^[0-9a-f]{64}$/.test(held)) return Buffer.from(held, 'hex');
    const key = randomBytes(32).toString('hex');
    // Another hall node may write it at the same time: the first one written is the key.
    await sql.transaction(async () => {
      if ((await store.meta('cursor_key')) === undefined) await store.setMeta('cursor_key', key);
    });
    return Buffer.from((await store.meta('cursor_key')) ?? key, 'hex');
  })();
  const tagOf = (epoch: string, position: number) =>
    createHmac('sha256', cursorKey).update(`zizhu-cursor\n${epoch}\n${position}`).digest('hex').slice(0, 16);
  const cursorFor = (epoch: string, position: number) => `${epoch}.${position}.${tagOf(epoch, position)}`;

  /** `<epoch>.<position>.<tag>` taken apart, and whether the tag is the hall's; null: another form. */
  function cursorParts(cursor: string): { epoch: string; position: number; tagged: boolean } | null {
    const m = CURSOR.exec(cursor);
    if (!m) return null;
    const [, epoch = '', pos = '', tag = ''] = m;
    const position = Number(pos);
    return {
      epoch,
      position,
      tagged: timingSafeEqual(Buffer.from(tag), Buffer.from(tagOf(epoch, position))),
    };
  }

  /**
   * A cursor as the hall reads it: empty = the beginning of the current epoch;
   * `<epoch>.<position>.<tag>`; a bare position (the format before epochs) only while the hall has
   * had one epoch. A cursor of another epoch is another history whatever its tag (the kiosk only
   * refetches); one of this epoch must carry the hall's tag.
   */
  async function readCursor(cursor: string | undefined, currentEpoch?: string): Promise<CursorRead> {
    if (cursor === undefined || cursor === '') return { kind: 'position', position: 0, issued: true };
    const current = currentEpoch ?? (await epochs.current()).id;
    const c = cursorParts(cursor);
    if (c) {
      if (c.epoch !== current) return { kind: 'history-changed' };
      if (!c.tagged) return { kind: 'bad' };
      return { kind: 'position', position: c.position, issued: true };
    }
    if (LEGACY_CURSOR.test(cursor))
      return (await epochs.count()) === 1
        ? { kind: 'position', position: Number(cursor), issued: false }
        : { kind: 'history-changed' };
    return { kind: 'bad' };
  }

  const historyChanged = async (): Promise<HttpAnswer> =>
    hallError(
      410,
      'history-changed',
      'the hall’s change log is another history (restored): take a snapshot',
      {
        mustRefetch: true,
        reason: 'history-changed',
        epoch: (await epochs.current()).id,
      },
    );

  /** Appends one change (kioskId null = every kiosk) and updates the latest-state record. */
  const appendChange = async (c: {
    kioskId: string | null;
    stream: string;
    key: string;
    op: 'put' | 'del';
    data: unknown;
  }): Promise<Change> => {
    const change = await sql.transaction(async (): Promise<Change> => {
      const scope = c.kioskId ?? '*';
      const version = ((await store.recordVersion(scope, c.stream, c.key)) ?? 0) + 1;
      const data = c.op === 'del' ? null : JSON.stringify(c.data ?? null);
      const position = await store.insertChange({
        kioskId: c.kioskId,
        stream: c.stream,
        key: c.key,
        op: c.op,
        version,
        data,
        at: iso(),
      });
      await store.putRecord({ scope, stream: c.stream, key: c.key, op: c.op, version, data, position });
      return {
        position,
        stream: c.stream,
        key: c.key,
        op: c.op,
        version,
        data: c.op === 'del' ? null : (c.data ?? null),
      };
    });
    // Also inside a caller's transaction (a staff action, a push), as before: a mark ahead of a
    // database that then rolled back only makes the hall start a new epoch it did not need.
    await writeMark();
    announce(c.kioskId);
    return change;
  };

  const purgedThrough = async () => Number((await store.meta('purged_through')) ?? '0');

  /** Forgets changes older than the retention window; a cursor before them must refetch. */
  const purgeChanges = (): Promise<number> =>
    sql.transaction(async (): Promise<number> => {
      const cutoff = new Date(clock().getTime() - retentionMs).toISOString();
      const gone = await store.purgeBefore(cutoff);
      const max = Math.max(0, ...gone);
      if (max > (await purgedThrough())) await store.setMeta('purged_through', String(max));
      return gone.length;
    });

  const pageSize = (limit: number) => Math.min(Math.max(1, Math.trunc(limit) || 100), MAX_CHANGES_PAGE);
  const seqOf = async (kioskId: string) => (await deps.lastAppliedSeq?.(kioskId)) ?? null;

  async function changes(kioskId: string, cursor: string | undefined, limit: number): Promise<HttpAnswer> {
    // Epoch, last position and purge mark in one round trip (every kiosk pulls every cycle).
    const bounds = await store.bounds();
    const read = await readCursor(cursor, bounds.epoch);
    if (read.kind === 'bad')
      return hallError(400, 'bad-cursor', 'cursor must be a value returned by the hall');
    if (read.kind === 'history-changed') return historyChanged();
    const from = read.position;
    if (from > bounds.maxPosition) {
      // A cursor this hall issued, beyond anything its log wrote: it was restored under it. A new
      // epoch makes every kiosk's cursor refetch, also those the reused positions would fool. (A
      // bare old-format position proves nothing: that kiosk alone refetches.)
      if (read.issued) await startEpoch('detected-restore');
      return historyChanged();
    }
    if (from < bounds.purgedThrough)
      return { status: 410, body: { mustRefetch: true, reason: 'cursor-expired' } };
    const epoch = bounds.epoch;
    const n = pageSize(limit);
    const rows = await store.after(from, kioskId, n + 1);
    const page = rows.slice(0, n);
    const out = page.map((r) => ({
      stream: r.stream,
      key: r.key,
      op: r.op,
      version: r.version,
      data: r.data,
    }));
    const next = page.length > 0 ? (page[page.length - 1]?.position ?? from) : from;
    return {
      status: 200,
      body: {
        changes: out,
        nextCursor: cursorFor(epoch, next),
        hasMore: rows.length > n,
        epoch,
        lastAppliedSeq: await seqOf(kioskId),
      },
    };
  }

  /** Latest state of every record the kiosk sees (tombstones included), for a refetch. */
  async function snapshot(kioskId: string, after: string | undefined, limit: number): Promise<HttpAnswer> {
    const from = after === undefined || after === '' ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : null;
    if (from === null) return hallError(400, 'bad-cursor', 'after must be a value returned by the hall');
    const n = pageSize(limit);
    // The cursor to continue with is read before the page, so nothing committed meanwhile is missed
    // (a record may then arrive twice; versions make that harmless).
    const epoch = (await epochs.current()).id;
    const cursor = cursorFor(epoch, await store.maxPosition());
    const rows = await store.snapshot(from, kioskId, n + 1);
    const page = rows.slice(0, n);
    return {
      status: 200,
      body: {
        records: page.map((r) => ({
          stream: r.stream,
          key: r.key,
          op: r.op,
          version: r.version,
          data: r.data,
        })),
        nextAfter: String(page.length > 0 ? (page[page.length - 1]?.id ?? from) : from),
        hasMore: rows.length > n,
        cursor,
        epoch,
        lastAppliedSeq: await seqOf(kioskId),
      },
    };
  }

  /**
   * The long-polls waiting now, by kiosk, behind ONE subscription to the changes channel: a change
   * for kiosk X wakes X's waiters only (a thousand kiosks wait at once, each change would otherwise
   * be offered to all of them); `*` wakes every waiter; null (the notifier may have missed some: a
   * lost connection) makes each look again.
   */
  type Waiter = { kioskId: string; cursor: number; done: (changed: boolean) => void };
  const waiting = new Map<string, Set<Waiter>>();
  let subscribed = false;
  const everyWaiter = (): Waiter[] => [...waiting.values()].flatMap((set) => [...set]);
  const onChange = (target: string | null) => {
    if (target === '*') for (const w of everyWaiter()) w.done(true);
    else if (target !== null) for (const w of [...(waiting.get(target) ?? [])]) w.done(true);
    else
      for (const w of everyWaiter())
        store.hasAfter(w.cursor, w.kioskId).then(
          (has) => {
            if (has) w.done(true);
          },
          () => undefined,
        );
  };

  /**
   * Resolves when a change for this kiosk exists after `cursor` (true), after `timeoutMs` (false), or
   * as soon as `signal` aborts (false: the hall closing, or the kiosk gone — its waiter is not kept).
   */
  async function waitForChange(
    kioskId: string,
    cursor: number,
    timeoutMs: number,
    signal?: AbortSignal,
    /** The caller looked for a change after `cursor` already (waitStart): do not ask again. */
    looked = false,
  ): Promise<boolean> {
    if (!looked && (await store.hasAfter(cursor, kioskId))) return true;
    if (signal?.aborted) return false;
    if (!subscribed) {
      subscribed = true;
      notifier.subscribe(HALL_CHANNELS.changes, onChange);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        kioskId,
        cursor,
        done: (changed) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const mine = waiting.get(kioskId);
          mine?.delete(waiter);
          if (mine?.size === 0) waiting.delete(kioskId);
          resolve(changed);
        },
      };
      const onAbort = () => waiter.done(false);
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      let mine = waiting.get(kioskId);
      if (!mine) waiting.set(kioskId, (mine = new Set()));
      mine.add(waiter);
    });
  }

  /** Long-polls waiting now (diagnostics; tests). */
  const longPollsWaiting = (): number => [...waiting.values()].reduce((n, set) => n + set.size, 0);

  /**
   * GET /v1/wait's first look: `now` when a change for the kiosk is there after the cursor, or the
   * cursor is of another history (answer at once); else the position to wait after, already looked
   * at (waitForChange's `looked`). A cursor this hall issued costs one round trip (the epoch and the
   * look together); any other cursor goes the long way (waitPosition, then a look).
   */
  async function waitStart(
    kioskId: string,
    cursor: string | undefined,
  ): Promise<{ now: true } | { now: false; position: number }> {
    const c = cursor === undefined ? null : cursorParts(cursor);
    if (c?.tagged) {
      const look = await store.waitCheck(c.position, kioskId);
      return look.epoch !== c.epoch || look.has ? { now: true } : { now: false, position: c.position };
    }
    const position = await waitPosition(cursor);
    if (position === null || (await store.hasAfter(position, kioskId))) return { now: true };
    return { now: false, position };
  }

  /** The position a long-poll waits after; null for a cursor of another history (answer at once). */
  async function waitPosition(cursor: string | undefined): Promise<number | null> {
    const read = await readCursor(cursor);
    if (read.kind === 'history-changed') return null;
    return read.kind === 'position' ? read.position : 0;
  }

  return {
    appendChange,
    startEpoch,
    currentEpoch: (): Promise<LogEpoch> => epochs.current(),
    epochs: (): Promise<LogEpoch[]> => epochs.all(),
    waitPosition,
    waitStart,
    purgeChanges,
    changes,
    snapshot,
    waitForChange,
    longPollsWaiting,
    maxPosition: (): Promise<number> => store.maxPosition(),
  };
}

export type ChangeFeed = Awaited<ReturnType<typeof createChangeFeed>>;
