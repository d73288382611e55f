/**
 * The hall's own SQLite store (`<HALL_DATA_DIR>/hall.db`, docs/hall-store.md), opened with the kit
 * the kiosk uses too (src/sqlite): WAL, synchronous=FULL, foreign keys, busy timeout, STRICT
 * tables, user_version migrations in transactions, and a refusal to open a newer database.
 */
import { openSqlite, type OpenDbResult, type SqliteDb } from '../../sqlite/index.js';
import { HALL_LATEST_VERSION, HALL_MIGRATIONS } from './migrations/index.js';

export type HallDb = SqliteDb;
export type { OpenDbResult };

export function openHallDatabase(path: string, options: { targetVersion?: number } = {}): OpenDbResult {
  return openSqlite(path, {
    migrations: HALL_MIGRATIONS,
    label: 'hall',
    ...(options.targetVersion !== undefined ? { targetVersion: options.targetVersion } : {}),
  });
}

export { HALL_LATEST_VERSION, HALL_MIGRATIONS };
