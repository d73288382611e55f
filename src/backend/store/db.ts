/**
 * Opening the kiosk database with the durability rules of DESIGN.md: WAL, synchronous=FULL,
 * foreign keys on, a busy timeout, versioned migrations via user_version (each in its own
 * transaction), and a refusal to open a database written by a newer kiosk.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export type OpenDbResult =
  | { ok: true; db: Db; migratedFrom: number; migratedTo: number }
  | { ok: false; error: 'newer-version'; found: number; supported: number; message: string }
  | { ok: false; error: 'cannot-open'; message: string };

export const BUSY_TIMEOUT_MS = 5000;

export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs every migration above the database's user_version, each in one transaction together with
 * its user_version bump, so a crash leaves the database at a whole version.
 */
export function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
  target = migrations.length,
): number {
  const from = schemaVersion(db);
  for (const migration of migrations.slice(from, target)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return from;
}

export function openDatabase(path: string, options: { targetVersion?: number } = {}): OpenDbResult {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (e) {
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot open database ${path}: ${(e as Error).message}`,
    };
  }
  try {
    applyPragmas(db);
    const found = schemaVersion(db);
    if (found > LATEST_VERSION) {
      db.close();
      return {
        ok: false,
        error: 'newer-version',
        found,
        supported: LATEST_VERSION,
        message: `database ${path} was written by a newer kiosk (schema ${found}, this kiosk knows up to ${LATEST_VERSION}); refusing to open it`,
      };
    }
    const target = options.targetVersion ?? LATEST_VERSION;
    const migratedFrom = migrate(db, MIGRATIONS, target);
    return { ok: true, db, migratedFrom, migratedTo: schemaVersion(db) };
  } catch (e) {
    db.close();
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot prepare database ${path}: ${(e as Error).message}`,
    };
  }
}
