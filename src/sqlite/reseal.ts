/**
 * Sealing every sealed column value again under the current key (`db reseal`, `hall db reseal`;
 * docs/security.md, "Hall data at rest and key rotation"). The columns are found, not listed: any
 * value of any table that reads as a sealed envelope (`"zk1:…`) of another key is opened and sealed
 * again by the connection's `zk_reseal` (src/shared/at-rest/sql-functions.ts) — so a column a later
 * migration seals is covered without touching this. One transaction: a crash leaves every value as
 * it was (still opened by the previous key) and the command is simply run again.
 */
import { rotateAtRestKeyOf, sealerFor, type KeyRotation } from '../shared/at-rest/index.js';
import type { Result } from '../shared/result.js';
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

export type { KeyRotation };

/** rotateAtRestKeyOf (src/shared/at-rest/rotation.ts) on an SQLite database: the kiosk's, hall.db. */
export function rotateAtRestKey(opts: {
  keyFile: string;
  open: () => { ok: true; db: SqliteDb } | { ok: false; message: string };
  roots: readonly string[];
  beforeFiles?: (db: SqliteDb) => void | Promise<void>;
}): Promise<Result<KeyRotation, string>> {
  return rotateAtRestKeyOf<SqliteDb>({
    keyFile: opts.keyFile,
    roots: opts.roots,
    ...(opts.beforeFiles ? { beforeFiles: opts.beforeFiles } : {}),
    database: {
      open: () => Promise.resolve(opts.open()),
      sealerOf: (db) => sealerFor(db),
      resealValues: (db) => Promise.resolve(resealDatabase(db)),
      valuesLeft: (db) => Promise.resolve(valuesNotSealedWithCurrentKey(db)),
      close: (db) => {
        db.close();
        return Promise.resolve();
      },
    },
  });
}
