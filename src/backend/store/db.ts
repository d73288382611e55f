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
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  createSealer,
  loadKeyFile,
  registerSealer,
  type SealAlgorithm,
  type Sealer,
} from '../../shared/at-rest/index.js';
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

export type OpenDatabaseOptions = {
  targetVersion?: number;
  /** The at-rest key file (config `security.keyFile`); default `KIOSK_KEY_FILE`, else `<db folder>/kiosk.key`. */
  keyFile?: string;
  algorithm?: SealAlgorithm;
  /** `PRAGMA quick_check` before opening (default on): a damaged database is refused as `corrupt`. */
  quickCheck?: boolean;
};

/** The at-rest options of the kiosk's configuration (`security`). */
export function atRestOptions(c: {
  security: { keyFile?: string | undefined; algorithm: SealAlgorithm };
}): OpenDatabaseOptions {
  return { algorithm: c.security.algorithm, ...(c.security.keyFile ? { keyFile: c.security.keyFile } : {}) };
}

/** The key file a database at `path` uses, and whether it may be created (only the default one). */
export function keyFileFor(path: string, keyFile?: string): { path: string; create: boolean } {
  const configured = keyFile ?? (process.env.KIOSK_KEY_FILE || undefined);
  return configured !== undefined
    ? { path: configured, create: false }
    : { path: join(dirname(path), 'kiosk.key'), create: true };
}

/**
 * Opens (and migrates) the kiosk database with its at-rest sealer registered: `zk_seal` /
 * `zk_open` in SQL, `sealerFor(db)` for files. An in-memory database gets a throw-away key.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): OpenDbResult {
  let sealer: Sealer;
  if (path === ':memory:') sealer = createSealer({ key: randomBytes(32) });
  else {
    const where = keyFileFor(path, options.keyFile);
    const loaded = loadKeyFile(where.path, {
      create: where.create,
      ...(options.algorithm ? { algorithm: options.algorithm } : {}),
    });
    if (!loaded.ok) return { ok: false, error: 'cannot-open', message: loaded.error.message };
    sealer = loaded.value.sealer;
  }
  const opened = openSqlite(path, {
    migrations: MIGRATIONS,
    label: 'kiosk',
    quickCheck: options.quickCheck ?? true,
    prepare: (db) => {
      // Deleted and overwritten content is zeroed in the file (a purge leaves nothing to `strings`).
      db.pragma('secure_delete = ON');
      registerSealer(db, sealer);
    },
    ...(options.targetVersion !== undefined ? { targetVersion: options.targetVersion } : {}),
  });
  // Migration 7 sealed values an older kiosk kept in clear: the WAL still holds the clear pages
  // until it is checkpointed and truncated.
  if (opened.ok && opened.migratedFrom < SEALING_VERSION && opened.migratedTo >= SEALING_VERSION)
    opened.db.pragma('wal_checkpoint(TRUNCATE)');
  return opened;
}

/** The migration that sealed personal data at rest. */
const SEALING_VERSION = 7;

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
  'queue_priority_counters',
  'queue_tickets',
  'service_items',
  'service_materials',
  'submissions',
  'supplements',
  'sync_cursors',
  'sync_records',
  'sync_uploaded_blobs',
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
