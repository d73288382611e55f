/**
 * The change log kiosks pull (docs/sync-protocol.md, "Pull"): append a change for one kiosk or
 * every kiosk, page through it from a cursor, take a snapshot of the latest records for a refetch,
 * long-poll for the next change, and forget changes older than the retention window (a cursor
 * before them must refetch).
 */
import { EventEmitter } from 'node:events';
import { MAX_CHANGES_PAGE } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import type { ChangeStore, HallDb } from './store/index.js';

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type Change = {
  position: number;
  stream: string;
  key: string;
  op: 'put' | 'del';
  version: number;
  data: unknown;
};

export function createChangeFeed(deps: {
  db: HallDb;
  changes: ChangeStore;
  clock: () => Date;
  retentionMs?: number;
}) {
  const { db, changes: store, clock } = deps;
  const retentionMs = deps.retentionMs ?? DEFAULT_RETENTION_MS;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const iso = () => clock().toISOString();

  /** Appends one change (kioskId null = every kiosk) and updates the latest-state record. */
  const appendChange = (c: {
    kioskId: string | null;
    stream: string;
    key: string;
    op: 'put' | 'del';
    data: unknown;
  }): Change => {
    const change = db
      .transaction((): Change => {
        const scope = c.kioskId ?? '*';
        const version = (store.recordVersion(scope, c.stream, c.key) ?? 0) + 1;
        const data = c.op === 'del' ? null : JSON.stringify(c.data ?? null);
        const position = store.insertChange({
          kioskId: c.kioskId,
          stream: c.stream,
          key: c.key,
          op: c.op,
          version,
          data,
          at: iso(),
        });
        store.putRecord({ scope, stream: c.stream, key: c.key, op: c.op, version, data, position });
        return {
          position,
          stream: c.stream,
          key: c.key,
          op: c.op,
          version,
          data: c.op === 'del' ? null : (c.data ?? null),
        };
      })
      .immediate();
    events.emit('change', c.kioskId);
    return change;
  };

  const purgedThrough = () => Number(store.meta('purged_through') ?? '0');

  /** Forgets changes older than the retention window; a cursor before them must refetch. */
  const purgeChanges = db.transaction((): number => {
    const cutoff = new Date(clock().getTime() - retentionMs).toISOString();
    const gone = store.purgeBefore(cutoff);
    const max = Math.max(0, ...gone);
    if (max > purgedThrough()) store.setMeta('purged_through', String(max));
    return gone.length;
  });

  function parseCursor(cursor: string | undefined): number | null {
    if (cursor === undefined || cursor === '') return 0;
    return /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
  }

  const pageSize = (limit: number) => Math.min(Math.max(1, Math.trunc(limit) || 100), MAX_CHANGES_PAGE);

  function changes(kioskId: string, cursor: string | undefined, limit: number): HttpAnswer {
    const from = parseCursor(cursor);
    if (from === null) return hallError(400, 'bad-cursor', 'cursor must be a value returned by the hall');
    if (from > store.maxPosition())
      return { status: 410, body: { mustRefetch: true, reason: 'unknown-cursor' } };
    if (from < purgedThrough()) return { status: 410, body: { mustRefetch: true, reason: 'cursor-expired' } };
    const n = pageSize(limit);
    const rows = store.after(from, kioskId, n + 1);
    const page = rows.slice(0, n);
    const out = page.map((r) => ({
      stream: r.stream,
      key: r.key,
      op: r.op,
      version: r.version,
      data: r.data,
    }));
    const next = page.length > 0 ? (page[page.length - 1]?.position ?? from) : from;
    return { status: 200, body: { changes: out, nextCursor: String(next), hasMore: rows.length > n } };
  }

  /** Latest state of every record the kiosk sees (tombstones included), for a refetch. */
  function snapshot(kioskId: string, after: string | undefined, limit: number): HttpAnswer {
    const from = after === undefined || after === '' ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : null;
    if (from === null) return hallError(400, 'bad-cursor', 'after must be a value returned by the hall');
    const n = pageSize(limit);
    // The cursor to continue with is read before the page, so nothing committed meanwhile is missed
    // (a record may then arrive twice; versions make that harmless).
    const cursor = String(store.maxPosition());
    const rows = store.snapshot(from, kioskId, n + 1);
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
      },
    };
  }

  /** Resolves when a change for this kiosk exists after `cursor`, or after `timeoutMs`. */
  function waitForChange(
    kioskId: string,
    cursor: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (store.hasAfter(cursor, kioskId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        events.off('change', on);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const on = (target: string | null) => {
        if (target === null || target === kioskId) done(true);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      events.on('change', on);
      signal?.addEventListener('abort', onAbort);
    });
  }

  return {
    appendChange,
    purgeChanges: (): number => purgeChanges(),
    changes,
    snapshot,
    waitForChange,
    maxPosition: (): number => store.maxPosition(),
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
