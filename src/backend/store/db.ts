/**
 * Opening the kiosk database with the durability rules (docs/architecture.md, "Durability rules") —
 * WAL, synchronous=FULL, foreign keys on, a busy timeout, versioned migrations via user_version (each
 * in its own transaction), and a refusal to open a database written by a newer kiosk — through the
 * SQLite kit shared with the hall (src/sqlite).
 */
import {
  applyPragmas,
  BUSY_TIMEOUT_MS,
  migrate as migrateWith,
  openSqlite,
  schemaVersion,
  type OpenDbResult,
  type SqliteDb,
} from '../../sqlite/index.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = SqliteDb;
export type { OpenDbResult };
export { applyPragmas, BUSY_TIMEOUT_MS, LATEST_VERSION, schemaVersion };

/**
 * Runs every migration above the database's user_version, each in one transaction together with
 * its user_version bump, so a crash leaves the database at a whole version.
 */
export function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
  target = migrations.length,
): number {
  return migrateWith(db, migrations, target);
}

export function openDatabase(path: string, options: { targetVersion?: number } = {}): OpenDbResult {
  return openSqlite(path, {
    migrations: MIGRATIONS,
    label: 'kiosk',
    ...(options.targetVersion !== undefined ? { targetVersion: options.targetVersion } : {}),
  });
}
