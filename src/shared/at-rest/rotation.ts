/**
 * The steps of an at-rest key rotation (docs/security.md, "Hall data at rest and key rotation"),
 * whatever database holds the sealed values: SQLite (src/sqlite/reseal.ts, `db reseal` and the
 * embedded hall's `hall db reseal`) or the hall's PostgreSQL (src/hall/pg-reseal.ts).
 */
import { err, ok, type Result } from '../result.js';
import { beginKeyRotation, previousKeyPath, retirePreviousKey, rotationPending } from './key-file.js';
import { filesNotSealedWith, resealFiles } from './reseal-files.js';
import type { Sealer } from './sealer.js';

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
 * What a rotation needs of a database, on any engine: open it with the key file as it is now, its
 * sealer, seal again every value of another key (one transaction), count those left, close it.
 */
export type RotationDatabase<D> = {
  open: () => Promise<{ ok: true; db: D } | { ok: false; message: string }>;
  sealerOf: (db: D) => Sealer;
  resealValues: (db: D) => Promise<Record<string, number>>;
  valuesLeft: (db: D) => Promise<number>;
  close: (db: D) => Promise<void>;
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
export async function rotateAtRestKeyOf<D>(opts: {
  keyFile: string;
  database: RotationDatabase<D>;
  /** Folders whose sealed files are sealed again (scans, archives, blobs). */
  roots: readonly string[];
  /**
   * Runs on the open database before the files are sealed again (the hall seals old clear blobs,
   * re-seals its packs through its async index, drops unfinished uploads); may return a promise.
   */
  beforeFiles?: (db: D) => void | Promise<void>;
}): Promise<Result<KeyRotation, string>> {
  const { database } = opts;
  const keyFiles = (p: string) => p === opts.keyFile || p.startsWith(`${opts.keyFile}.`);
  const first = await database.open();
  if (!first.ok) return err(first.message);
  let db = first.db;
  const resumed = rotationPending(opts.keyFile);
  let previousKeyId: string | null = null;
  if (!resumed) {
    await database.close(db);
    const begun = beginKeyRotation(opts.keyFile);
    if (!begun.ok) return err(begun.error.message);
    previousKeyId = begun.value.previousKeyId;
    const again = await database.open();
    if (!again.ok) return err(again.message);
    db = again.db;
  }
  try {
    const sealer = database.sealerOf(db);
    const values = await database.resealValues(db);
    await opts.beforeFiles?.(db);
    const files = { resealed: 0, current: 0 };
    for (const root of opts.roots) {
      const r = resealFiles(root, sealer, keyFiles);
      files.resealed += r.resealed;
      files.current += r.current;
    }
    const leftValues = await database.valuesLeft(db);
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
    await database.close(db);
  }
}
