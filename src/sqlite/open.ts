/**
 * Opening a database: create its folder, apply the durability pragmas, refuse one written by a
 * newer release (left untouched, so a downgrade never corrupts it), and migrate it. Every
 * expected failure is a value with a sentence for the operator.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, schemaVersion, type Migration } from './migrate.js';
import { applyPragmas, type SqliteDb } from './pragmas.js';

export type OpenDbResult =
  | { ok: true; db: SqliteDb; migratedFrom: number; migratedTo: number }
  | { ok: false; error: 'newer-version'; found: number; supported: number; message: string }
  | { ok: false; error: 'cannot-open'; message: string }
  | { ok: false; error: 'corrupt'; problems: string[]; message: string };

export type OpenOptions = {
  /** In order: migration n at position n − 1. */
  migrations: readonly Migration[];
  /** Who owns the database, in messages: "kiosk", "hall". */
  label: string;
  /** Stop at this version instead of the latest (tests build older databases with it). */
  targetVersion?: number;
  /**
   * Runs after the pragmas and before the migrations (SQL functions a migration uses, e.g. the
   * at-rest sealer's `zk_seal`). A throw is reported as `cannot-open`.
   */
  prepare?: (db: SqliteDb) => void;
  /**
   * `PRAGMA quick_check` before anything else: a damaged database is refused (`corrupt`) at start
   * instead of failing at a resident's submit. Skipped for a new, empty database.
   */
  quickCheck?: boolean;
};

/** SQLite's codes for a file that is damaged or not a database at all. */
const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);
const isCorruption = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  'code' in e &&
  typeof e.code === 'string' &&
  CORRUPT_CODES.has(e.code);

function corrupt(label: string, path: string, problems: string[]): OpenDbResult {
  return {
    ok: false,
    error: 'corrupt',
    problems,
    message: `the ${label} database ${path} is damaged (${problems.slice(0, 3).join('; ')}); refusing to start on it`,
  };
}

export function openSqlite(path: string, options: OpenOptions): OpenDbResult {
  const { migrations, label } = options;
  const latest = migrations.length;
  let db: SqliteDb;
  try {
    // Personal data lives here: the folder 0700 and the file 0600 (SQLite gives the WAL and SHM
    // files the database file's mode when it creates them).
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path);
    if (path !== ':memory:' && process.platform !== 'win32' && existsSync(path)) chmodSync(path, 0o600);
  } catch (e) {
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot open ${label} database ${path}: ${(e as Error).message}`,
    };
  }
  try {
    if (options.quickCheck === true) {
      const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      if (problems.length !== 1 || problems[0] !== 'ok') {
        db.close();
        return corrupt(label, path, problems);
      }
    }
    applyPragmas(db);
    options.prepare?.(db);
    const found = schemaVersion(db);
    if (found > latest) {
      db.close();
      return {
        ok: false,
        error: 'newer-version',
        found,
        supported: latest,
        message: `database ${path} was written by a newer ${label} (schema ${found}, this ${label} knows up to ${latest}); refusing to open it`,
      };
    }
    const migratedFrom = migrate(db, migrations, options.targetVersion ?? latest);
    return { ok: true, db, migratedFrom, migratedTo: schemaVersion(db) };
  } catch (e) {
    db.close();
    if (isCorruption(e)) return corrupt(label, path, [(e as Error).message]);
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot prepare ${label} database ${path}: ${(e as Error).message}`,
    };
  }
}
