/**
 * Sealing every sealed column value again under the current key (`db reseal`, `hall db reseal`;
 * docs/security.md, "Hall data at rest and key rotation"). The columns are found, not listed: any
 * value of any table that reads as a sealed envelope (`"zk1:…`) of another key is opened and sealed
 * again by the connection's `zk_reseal` (src/shared/at-rest/sql-functions.ts) — so a column a later
 * migration seals is covered without touching this. One transaction: a crash leaves every value as
 * it was (still opened by the previous key) and the command is simply run again.
 */
import {
  beginKeyRotation,
  filesNotSealedWith,
  previousKeyPath,
  resealFiles,
  retirePreviousKey,
  rotationPending,
  sealerFor,
} from '../shared/at-rest/index.js';
import { err, ok, type Result } from '../shared/result.js';
import type { SqliteDb } from './pragmas.js';

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every column of every table of the database (SQLite's own tables left out). */
function columns(db: SqliteDb): { table: string; column: string }[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const info = db.prepare('SELECT name FROM pragma_table_info(?)').pluck();
  return tables.flatMap((table) => (info.all(table) as string[]).map((column) => ({ table, column })));
}

const stale = (c: { table: string; column: string }) =>
  `${quoted(c.column)} LIKE '"zk1:%' AND zk_key_id(${quoted(c.column)}) IS NOT zk_current_key_id()`;

/** Seals again every value another key sealed; returns how many per `table.column` (changed ones only). */
export function resealDatabase(db: SqliteDb): Record<string, number> {
  const counts: Record<string, number> = {};
  db.transaction(() => {
    for (const c of columns(db)) {
      const n = db
        .prepare(
          `UPDATE ${quoted(c.table)} SET ${quoted(c.column)} = zk_reseal(${quoted(c.column)}) WHERE ${stale(c)}`,
        )
        .run().changes;
      if (n > 0) counts[`${c.table}.${c.column}`] = n;
    }
  }).immediate();
  // The WAL held the old envelopes: checkpoint it into the file (secure_delete zeroes what they
  // left) and truncate it.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return counts;
}

/** How many sealed values are not sealed with the current key (0 before a previous key retires). */
export function valuesNotSealedWithCurrentKey(db: SqliteDb): number {
  let n = 0;
  for (const c of columns(db))
    n += db
      .prepare(`SELECT count(*) FROM ${quoted(c.table)} WHERE ${stale(c)}`)
      .pluck()
      .get() as number;
  return n;
}

export type KeyRotation = {
  /** The key every value and file is now sealed with. */
  keyId: string;
  /** The key they were sealed with before (null when an interrupted rotation was resumed). */
  previousKeyId: string | null;
  /** An unfinished rotation (the previous key still kept) was finished instead of starting one. */
  resumed: boolean;
  /** Values sealed again, per `table.column`. */
  values: Record<string, number>;
  /** Files sealed again, and files already under the new key. */
  files: { resealed: number; current: number };
};

/**
 * Rotates an at-rest key (docs/security.md, "Hall data at rest and key rotation") — what
 * `db reseal` and `hall db reseal` run with the service stopped:
 *  1. open the database with its key file (which finishes or rolls back a rotation a crash
 *     interrupted before the new key was in place, src/shared/at-rest/key-file.ts);
 *  2. unless an earlier rotation is unfinished (then it is resumed), write a new key atomically,
 *     keeping the current one as `<key>.previous`, and open again with both;
 *  3. seal every sealed column value again (one transaction) and every sealed file under `roots`
 *     (each atomically) with the new key;
 *  4. check that nothing sealed with another key is left, and only then remove the previous key.
 * A crash anywhere leaves data both keys open; running the command again finishes the rotation.
 */
export async function rotateAtRestKey(opts: {
  keyFile: string;
  open: () => { ok: true; db: SqliteDb } | { ok: false; message: string };
  /** Folders whose sealed files are sealed again (scans, archives, blobs). */
  roots: readonly string[];
  /**
   * Runs on the open database before the files are sealed again (the hall seals old clear blobs,
   * re-seals its packs through its async index, drops unfinished uploads); may return a promise.
   */
  beforeFiles?: (db: SqliteDb) => void | Promise<void>;
}): Promise<Result<KeyRotation, string>> {
  const keyFiles = (p: string) => p === opts.keyFile || p.startsWith(`${opts.keyFile}.`);
  const first = opts.open();
  if (!first.ok) return err(first.message);
  let db = first.db;
  const resumed = rotationPending(opts.keyFile);
  let previousKeyId: string | null = null;
  if (!resumed) {
    db.close();
    const begun = beginKeyRotation(opts.keyFile);
    if (!begun.ok) return err(begun.error.message);
    previousKeyId = begun.value.previousKeyId;
    const again = opts.open();
    if (!again.ok) return err(again.message);
    db = again.db;
  }
  try {
    const sealer = sealerFor(db);
    const values = resealDatabase(db);
    await opts.beforeFiles?.(db);
    const files = { resealed: 0, current: 0 };
    for (const root of opts.roots) {
      const r = resealFiles(root, sealer, keyFiles);
      files.resealed += r.resealed;
      files.current += r.current;
    }
    const leftValues = valuesNotSealedWithCurrentKey(db);
    const leftFiles = opts.roots.flatMap((root) => filesNotSealedWith(root, sealer.keyId, keyFiles));
    if (leftValues > 0 || leftFiles.length > 0)
      return err(
        `${leftValues} value(s) and ${leftFiles.length} file(s) are still sealed with another key; ` +
          `${previousKeyPath(opts.keyFile)} is kept — run the command again`,
      );
    retirePreviousKey(opts.keyFile);
    return ok({ keyId: sealer.keyId, previousKeyId, resumed, values, files });
  } catch (e) {
    return err(
      `the rotation stopped: ${(e as Error).message}; ${previousKeyPath(opts.keyFile)} is kept — run the command again`,
    );
  } finally {
    db.close();
  }
}
