/**
 * The durability rules every database of this project opens with (docs/architecture.md, "Durability rules"):
 * WAL so readers never block the writer, synchronous=FULL so a committed transaction survives power loss,
 * foreign keys enforced, and a busy timeout so a second connection waits instead of failing.
 */
import type Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

export const BUSY_TIMEOUT_MS = 5000;

export function applyPragmas(db: SqliteDb): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}
