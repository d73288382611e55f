/**
 * The change log's epochs (migration 16; docs/sync-protocol.md, 5.1): the newest row is the current
 * one. A new epoch starts after the last position given out so far.
 */
import { randomBytes } from 'node:crypto';
import type { HallDb } from './db.js';

export type EpochReason = 'created' | 'restored' | 'operator' | 'detected-restore';
export type LogEpoch = { id: string; startedAt: string; firstPosition: number; reason: EpochReason };

export function createEpochStore(db: HallDb) {
  const q = {
    current: db.prepare(
      'SELECT id, started_at AS startedAt, first_position AS firstPosition, reason FROM log_epochs ORDER BY rowid DESC LIMIT 1',
    ),
    all: db.prepare(
      'SELECT id, started_at AS startedAt, first_position AS firstPosition, reason FROM log_epochs ORDER BY rowid',
    ),
    has: db.prepare('SELECT 1 FROM log_epochs WHERE id = ?').pluck(),
    count: db.prepare('SELECT count(*) FROM log_epochs').pluck(),
    insert: db.prepare(
      `INSERT INTO log_epochs (id, started_at, first_position, reason)
       VALUES (?, ?, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0), ?)`,
    ),
  };
  const current = (): LogEpoch => {
    const row = q.current.get() as LogEpoch | undefined;
    // Migration 16 inserts the first epoch: none at all is a database this code did not migrate.
    if (!row) throw new Error('the hall database has no log epoch (migration 16 not applied)');
    return row;
  };
  return {
    current,
    all: (): LogEpoch[] => q.all.all() as LogEpoch[],
    has: (id: string): boolean => q.has.get(id) !== undefined,
    count: (): number => q.count.get() as number,
    /** Starts a new epoch (in its own IMMEDIATE transaction) and returns it. */
    start: (reason: EpochReason, at: string): LogEpoch =>
      db
        .transaction((): LogEpoch => {
          q.insert.run(randomBytes(8).toString('hex'), at, reason);
          return current();
        })
        .immediate(),
  };
}

export type EpochStore = ReturnType<typeof createEpochStore>;
