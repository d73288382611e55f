/**
 * The change log kiosks pull (position = cursor; kiosk_id NULL = every kiosk), the latest state of
 * every record it carried (tombstones included: the source of snapshots), and the hall's own
 * settings in hall_meta (e.g. how far the log has been purged).
 */
import { lastChangePositionSql } from './change-position.js';
import { currentEpochIdSql } from './epochs.js';
import type { HallSql } from './sql.js';

export type ChangeOp = 'put' | 'del';
/** A change or a record as read back: its data parsed (null for a deletion). */
export type StoredChange = { stream: string; key: string; op: ChangeOp; version: number; data: unknown };

type Row = { stream: string; key: string; op: ChangeOp; version: number; data: string | null };

/** The advisory lock the change log's writers take on PostgreSQL ("zkchglog" in ASCII). */
export const CHANGE_LOG_LOCK_KEY = '8821254891592888167';

/** Whether a change for the kiosk (`?` 2) or for every kiosk exists after a position (`?` 1). */
const HAS_AFTER = 'SELECT 1 FROM changes WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) LIMIT 1';

/** Migration 16 inserts the first epoch: none at all is a database this code did not migrate. */
function epochOf(epoch: string | null | undefined): string {
  if (epoch == null) throw new Error('the hall database has no log epoch (migration 16 not applied)');
  return epoch;
}

export function createChangeStore(sql: HallSql) {
  const parsed = <R extends Row>(r: R): Omit<R, 'data'> & { data: unknown } => ({
    ...r,
    data: r.data === null ? null : (JSON.parse(sql.open(r.data)) as unknown),
  });
  const maxPositionSql = lastChangePositionSql(sql);

  return {
    /** The latest version of a record in a scope ('*' = every kiosk, else a kiosk id). */
    recordVersion: (scope: string, stream: string, key: string): Promise<number | undefined> =>
      sql.value<number>('SELECT version FROM records WHERE scope = ? AND stream = ? AND key = ?', [
        scope,
        stream,
        key,
      ]),
    /** Appends a change (data as JSON text, null for a deletion); returns its position. */
    /**
     * Appends a change (data as JSON text, null for a deletion); returns its position. On PostgreSQL the
     * position is taken under a transaction-long advisory lock, so that positions commit in the order
     * they are given out: with several writers a reader that passed 42 would otherwise never see a 41
     * committed after it (SQLite's IMMEDIATE transactions already serialise writers).
     */
    insertChange: async (c: {
      kioskId: string | null;
      stream: string;
      key: string;
      op: ChangeOp;
      version: number;
      data: string | null;
      at: string;
    }): Promise<number> => {
      const insert = async () =>
        Number(
          await sql.value<number>(
            'INSERT INTO changes (kiosk_id, stream, key, op, version, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING position',
            [c.kioskId, c.stream, c.key, c.op, c.version, sql.sealOrNull(c.data), c.at],
          ),
        );
      if (sql.engine === 'sqlite') return insert();
      return sql.transaction(async () => {
        await sql.run(`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`);
        return insert();
      });
    },
    async putRecord(r: {
      scope: string;
      stream: string;
      key: string;
      op: ChangeOp;
      version: number;
      data: string | null;
      position: number;
    }): Promise<void> {
      await sql.run(
        `INSERT INTO records (scope, stream, key, op, version, data, position) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(scope, stream, key) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data, position = excluded.position`,
        [r.scope, r.stream, r.key, r.op, r.version, sql.sealOrNull(r.data), r.position],
      );
    },
    /** Up to `limit` changes a kiosk sees after `position`, in order. */
    after: async (
      position: number,
      kioskId: string,
      limit: number,
    ): Promise<(StoredChange & { position: number })[]> =>
      (
        await sql.all<Row & { position: number }>(
          `SELECT position, stream, key, op, version, data FROM changes
           WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) ORDER BY position LIMIT ?`,
          [position, kioskId, limit],
        )
      ).map(parsed),
    /**
     * A long-poll's first look in one round trip: the current epoch, and whether a change for the
     * kiosk exists after `position`.
     */
    async waitCheck(position: number, kioskId: string): Promise<{ epoch: string; has: boolean }> {
      const row = await sql.get<{ epoch: string | null; has: number | null }>(
        `SELECT (${currentEpochIdSql(sql)}) AS epoch, (${HAS_AFTER}) AS has`,
        [position, kioskId],
      );
      return { epoch: epochOf(row?.epoch), has: row?.has != null };
    },
    hasAfter: async (position: number, kioskId: string): Promise<boolean> =>
      (await sql.value<number>(HAS_AFTER, [position, kioskId])) !== undefined,
    /** The last position ever given out (purged ones included). */
    maxPosition: async (): Promise<number> => Number((await sql.value<number>(maxPositionSql)) ?? 0),
    /** Deletes changes created before `cutoff`; returns their positions. */
    purgeBefore: async (cutoff: string): Promise<number[]> =>
      (
        await sql.all<{ position: number }>('DELETE FROM changes WHERE created_at < ? RETURNING position', [
          cutoff,
        ])
      ).map((r) => Number(r.position)),
    /** Up to `limit` records a kiosk sees with an id after `afterId`, in id order. */
    snapshot: async (
      afterId: number,
      kioskId: string,
      limit: number,
    ): Promise<(StoredChange & { id: number })[]> =>
      (
        await sql.all<Row & { id: number }>(
          `SELECT id, stream, key, op, version, data FROM records WHERE id > ? AND scope IN ('*', ?) ORDER BY id LIMIT ?`,
          [afterId, kioskId, limit],
        )
      ).map(parsed),
    /**
     * The log's bounds in one round trip: the current epoch, the last position given out, and how
     * far the log was purged (what every pull checks its cursor against).
     */
    async bounds(): Promise<{ epoch: string; maxPosition: number; purgedThrough: number }> {
      const row = await sql.get<{ epoch: string | null; maxPosition: number; purgedThrough: string | null }>(
        `SELECT (${currentEpochIdSql(sql)}) AS epoch, (${maxPositionSql}) AS "maxPosition",
           (SELECT value FROM hall_meta WHERE key = 'purged_through') AS "purgedThrough"`,
      );
      return {
        epoch: epochOf(row?.epoch),
        maxPosition: Number(row?.maxPosition ?? 0),
        purgedThrough: Number(row?.purgedThrough ?? '0'),
      };
    },
    meta: (key: string): Promise<string | undefined> =>
      sql.value<string>('SELECT value FROM hall_meta WHERE key = ?', [key]),
    async setMeta(key: string, value: string): Promise<void> {
      await sql.run(
        'INSERT INTO hall_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },
  };
}

export type ChangeStore = ReturnType<typeof createChangeStore>;
