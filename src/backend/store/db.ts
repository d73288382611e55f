/**
 * Opening the kiosk database with the durability rules (docs/architecture.md, "Durability rules") —
 * WAL, synchronous=FULL, foreign keys on, a busy timeout, versioned migrations via user_version (each
 * in its own transaction), and a refusal to open a database written by a newer kiosk — through the
 * SQLite kit shared with the hall (src/sqlite). Also what a technician reads of the database as a
 * whole (`db status`: schema version, row counts).
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

/** Every table of the latest schema (db.test.ts checks this list against a fresh database). */
export const KIOSK_TABLES = [
  'application_attachments',
  'application_status_history',
  'applications',
  'attachments',
  'audit_log',
  'bundle_items',
  'bundles',
  'catalog_meta',
  'device_config',
  'evaluations',
  'kiosk_config',
  'outbox',
  'queue_counters',
  'queue_tickets',
  'service_items',
  'service_materials',
  'submissions',
  'supplements',
  'sync_cursors',
  'sync_records',
  'window_categories',
] as const;
export type KioskTable = (typeof KIOSK_TABLES)[number];

const isKioskTable = (name: string): name is KioskTable => (KIOSK_TABLES as readonly string[]).includes(name);

/**
 * The number of rows in one of the kiosk's tables. A table name cannot be a bound parameter, so it
 * is spliced into the statement: only a name of the closed list is accepted (checked again here for
 * callers that reach it without the type).
 */
export function countRows(db: Db, table: KioskTable): number {
  if (!isKioskTable(table)) throw new Error(`not a kiosk table: ${String(table)}`);
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
