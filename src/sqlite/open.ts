/**
 * Opening a database: create its folder, apply the durability pragmas, refuse one written by a
 * newer release (left untouched, so a downgrade never corrupts it), and migrate it. Every
 * expected failure is a value with a sentence for the operator.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, schemaVersion, type Migration } from './migrate.js';
import { applyPragmas, type SqliteDb } from './pragmas.js';

export type OpenDbResult =
  | { ok: true; db: SqliteDb; migratedFrom: number; migratedTo: number }
  | { ok: false; error: 'newer-version'; found: number; supported: number; message: string }
  | { ok: false; error: 'cannot-open'; message: string };

export type OpenOptions = {
  /** In order: migration n at position n − 1. */
  migrations: readonly Migration[];
  /** Who owns the database, in messages: "kiosk", "hall". */
  label: string;
  /** Stop at this version instead of the latest (tests build older databases with it). */
  targetVersion?: number;
};

export function openSqlite(path: string, options: OpenOptions): OpenDbResult {
  const { migrations, label } = options;
  const latest = migrations.length;
  let db: SqliteDb;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (e) {
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot open ${label} database ${path}: ${(e as Error).message}`,
    };
  }
  try {
    applyPragmas(db);
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
    return {
      ok: false,
      error: 'cannot-open',
      message: `cannot prepare ${label} database ${path}: ${(e as Error).message}`,
    };
  }
}
