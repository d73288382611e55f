/**
 * The change log kiosks pull (position = cursor; kiosk_id NULL = every kiosk), the latest state of
 * every record it carried (tombstones included: the source of snapshots), and the hall's own
 * settings in hall_meta (e.g. how far the log has been purged).
 */
import type { HallDb } from './db.js';

export type ChangeOp = 'put' | 'del';
/** A change or a record as read back: its data parsed (null for a deletion). */
export type StoredChange = { stream: string; key: string; op: ChangeOp; version: number; data: unknown };

type Row = { stream: string; key: string; op: ChangeOp; version: number; data: string | null };
const parsed = <R extends Row>(r: R): Omit<R, 'data'> & { data: unknown } => ({
  ...r,
  data: r.data === null ? null : (JSON.parse(r.data) as unknown),
});

export function createChangeStore(db: HallDb) {
  const q = {
    version: db.prepare('SELECT version FROM records WHERE scope = ? AND stream = ? AND key = ?').pluck(),
    insChange: db.prepare(
      'INSERT INTO changes (kiosk_id, stream, key, op, version, data, created_at) VALUES (?, ?, ?, ?, ?, zk_seal(?), ?)',
    ),
    upRecord: db.prepare(
      `INSERT INTO records (scope, stream, key, op, version, data, position) VALUES (?, ?, ?, ?, ?, zk_seal(?), ?)
       ON CONFLICT(scope, stream, key) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data, position = excluded.position`,
    ),
    after: db.prepare(
      `SELECT position, stream, key, op, version, zk_open(data) AS data FROM changes
       WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) ORDER BY position LIMIT ?`,
    ),
    hasAfter: db
      .prepare('SELECT 1 FROM changes WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) LIMIT 1')
      .pluck(),
    maxPosition: db
      .prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)")
      .pluck(),
    purge: db.prepare('DELETE FROM changes WHERE created_at < ? RETURNING position'),
    snapshot: db.prepare(
      `SELECT id, stream, key, op, version, zk_open(data) AS data FROM records WHERE id > ? AND scope IN ('*', ?) ORDER BY id LIMIT ?`,
    ),
    meta: db.prepare('SELECT value FROM hall_meta WHERE key = ?').pluck(),
    setMeta: db.prepare(
      'INSERT INTO hall_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
  };

  return {
    /** The latest version of a record in a scope ('*' = every kiosk, else a kiosk id). */
    recordVersion: (scope: string, stream: string, key: string): number | undefined =>
      q.version.get(scope, stream, key) as number | undefined,
    /** Appends a change (data as JSON text, null for a deletion); returns its position. */
    insertChange: (c: {
      kioskId: string | null;
      stream: string;
      key: string;
      op: ChangeOp;
      version: number;
      data: string | null;
      at: string;
    }): number =>
      Number(q.insChange.run(c.kioskId, c.stream, c.key, c.op, c.version, c.data, c.at).lastInsertRowid),
    putRecord(r: {
      scope: string;
      stream: string;
      key: string;
      op: ChangeOp;
      version: number;
      data: string | null;
      position: number;
    }): void {
      q.upRecord.run(r.scope, r.stream, r.key, r.op, r.version, r.data, r.position);
    },
    /** Up to `limit` changes a kiosk sees after `position`, in order. */
    after: (position: number, kioskId: string, limit: number): (StoredChange & { position: number })[] =>
      (q.after.all(position, kioskId, limit) as (Row & { position: number })[]).map(parsed),
    hasAfter: (position: number, kioskId: string): boolean => q.hasAfter.get(position, kioskId) !== undefined,
    /** The last position ever given out (purged ones included). */
    maxPosition: (): number => q.maxPosition.get() as number,
    /** Deletes changes created before `cutoff`; returns their positions. */
    purgeBefore: (cutoff: string): number[] =>
      (q.purge.all(cutoff) as { position: number }[]).map((r) => r.position),
    /** Up to `limit` records a kiosk sees with an id after `afterId`, in id order. */
    snapshot: (afterId: number, kioskId: string, limit: number): (StoredChange & { id: number })[] =>
      (q.snapshot.all(afterId, kioskId, limit) as (Row & { id: number })[]).map(parsed),
    meta: (key: string): string | undefined => q.meta.get(key) as string | undefined,
    setMeta(key: string, value: string): void {
      q.setMeta.run(key, value);
    },
  };
}

export type ChangeStore = ReturnType<typeof createChangeStore>;
