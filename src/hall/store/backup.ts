/**
 * Backup and restore of hall.db (docs/hall-store.md, "Backup and restore"; docs/sync-protocol.md,
 * 5.1). A backup is SQLite's online backup of the open database (consistent while the hall runs).
 * A restore replaces hall.db with a backup whose integrity was checked — the hall must be stopped —
 * and the caller then starts a new log epoch, so every kiosk refetches instead of trusting positions
 * the restored log will hand out again. Blobs are content-addressed files beside the database and
 * are not part of it: blobs the backup does not index are asked for again by the push (409
 * missing-blobs).
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../../shared/result.js';
import type { HallDb } from './db.js';
import { HALL_LATEST_VERSION } from './migrations/index.js';

/** Writes a consistent copy of the open hall database to `dest` (a new file). */
export async function backupHallDatabase(db: HallDb, dest: string): Promise<Result<void, string>> {
  if (existsSync(dest)) return err(`${dest} exists: a backup never overwrites a file`);
  try {
    await db.backup(dest);
    const fd = openSync(dest, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return ok(undefined);
  } catch (e) {
    return err(`backup failed: ${(e as Error).message}`);
  }
}

/** Why a file cannot be restored as a hall database (null: it can). */
export function checkHallBackup(path: string): string | null {
  if (!existsSync(path)) return `${path} does not exist`;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return `${path} is damaged (quick_check: ${String(check)})`;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1) return `${path} is not a hall database (no schema version)`;
    if (version > HALL_LATEST_VERSION)
      return `${path} was written by a newer hall (schema ${version}, this hall knows ${HALL_LATEST_VERSION})`;
    const kiosks = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kiosks'").get();
    if (kiosks === undefined) return `${path} is not a hall database (no kiosks table)`;
    return null;
  } catch (e) {
    return `${path} cannot be read as a hall database: ${(e as Error).message}`;
  } finally {
    db?.close();
  }
}

/** fsync of a file (or directory) by path. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the hall database at `path` with the backup (the hall must not be running): the copy
 * is fsynced, the old WAL and shared-memory files are removed (a WAL of the old database replayed
 * onto the restored one would corrupt it), then the copy is renamed into place and the directory
 * fsynced.
 */
export function replaceHallDatabase(path: string, backup: string): Result<void, string> {
  const problem = checkHallBackup(backup);
  if (problem !== null) return err(problem);
  const tmp = `${path}.restoring`;
  try {
    copyFileSync(backup, tmp);
    fsyncPath(tmp);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    renameSync(tmp, path);
    fsyncPath(dirname(path));
    return ok(undefined);
  } catch (e) {
    rmSync(tmp, { force: true });
    return err(`restore failed: ${(e as Error).message}`);
  }
}
