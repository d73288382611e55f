/**
 * The change log's epochs (migration 16; docs/sync-protocol.md, 5.1): the newest row is the current
 * one. A new epoch starts after the last position given out so far.
 */
import { randomBytes } from 'node:crypto';
import { lastChangePositionSql } from './change-position.js';
import type { HallSql } from './sql.js';

export type EpochReason = 'created' | 'restored' | 'operator' | 'detected-restore';
export type LogEpoch = { id: string; startedAt: string; firstPosition: number; reason: EpochReason };

const COLUMNS = 'id, started_at AS "startedAt", first_position AS "firstPosition", reason';

// Insertion order: SQLite's rowid. PostgreSQL's table has no such column: the first position,
// then the start time (a later epoch never starts before an earlier one's first position).
const epochOrder = (sql: HallSql, dir: 'ASC' | 'DESC') =>
  sql.dialect({ sqlite: `rowid ${dir}`, postgres: `first_position ${dir}, started_at ${dir}` });

/** The current epoch's id, as a subquery (the change feed reads it with the log's other bounds). */
export const currentEpochIdSql = (sql: HallSql): string =>
  `SELECT id FROM log_epochs ORDER BY ${epochOrder(sql, 'DESC')} LIMIT 1`;

export function createEpochStore(sql: HallSql) {
  const order = (dir: 'ASC' | 'DESC') => epochOrder(sql, dir);
  const current = async (): Promise<LogEpoch> => {
    const row = await sql.get<LogEpoch>(
      `SELECT ${COLUMNS} FROM log_epochs ORDER BY ${order('DESC')} LIMIT 1`,
    );
    // Migration 16 inserts the first epoch: none at all is a database this code did not migrate.
    if (!row) throw new Error('the hall database has no log epoch (migration 16 not applied)');
    return { ...row, firstPosition: Number(row.firstPosition) };
  };
  return {
    current,
    all: async (): Promise<LogEpoch[]> =>
      (await sql.all<LogEpoch>(`SELECT ${COLUMNS} FROM log_epochs ORDER BY ${order('ASC')}`)).map((e) => ({
        ...e,
        firstPosition: Number(e.firstPosition),
      })),
    has: async (id: string): Promise<boolean> =>
      (await sql.value<number>('SELECT 1 FROM log_epochs WHERE id = ?', [id])) !== undefined,
    count: async (): Promise<number> => Number(await sql.value<number>('SELECT count(*) FROM log_epochs')),
    /** Starts a new epoch (in its own transaction, or a savepoint of the caller's) and returns it. */
    start: (reason: EpochReason, at: string): Promise<LogEpoch> =>
      sql.transaction(async (): Promise<LogEpoch> => {
        const first = Number((await sql.value<number>(lastChangePositionSql(sql))) ?? 0);
        await sql.run('INSERT INTO log_epochs (id, started_at, first_position, reason) VALUES (?, ?, ?, ?)', [
          randomBytes(8).toString('hex'),
          at,
          first,
          reason,
        ]);
        return current();
      }),
  };
}

export type EpochStore = ReturnType<typeof createEpochStore>;
