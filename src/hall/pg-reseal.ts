/**
 * `hall db reseal` on PostgreSQL (HALL_DATABASE_URL; docs/security.md, "Hall data at rest and key
 * rotation"): the key rotation of the embedded database (src/shared/at-rest/rotation.ts) on the
 * hall's PostgreSQL store. As on SQLite the sealed columns are found, not listed — every text column
 * of the hall's schema, every value that reads as a sealed envelope (`"zk1:…`) of another key — but
 * the envelopes are opened and sealed again here in the process (PostgreSQL has no `zk_reseal`),
 * row by row (by `ctid`), all of it in one transaction. Every node must be stopped: one still running
 * holds only the old key and could not read what is sealed with the new one.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  isSealedText,
  rotateAtRestKeyOf,
  sealedKeyId,
  type KeyRotation,
  type RotationDatabase,
} from '../shared/at-rest/index.js';
import { err, type Result } from '../shared/result.js';
import { createHallBlobs } from './service.js';
import {
  hallKeyFileFor,
  openHallStore,
  postgresInUse,
  type HallAtRestOptions,
  type HallSql,
  type HallStore,
} from './store/index.js';

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every text column of the hall's tables (its schema: the connection's current one). */
const textColumns = (sql: HallSql) =>
  sql.all<{ table: string; column: string }>(
    `SELECT c.table_name AS "table", c.column_name AS "column"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying')
      ORDER BY c.table_name, c.column_name`,
  );

/** The sealed values of one column not sealed with the current key, with their rows' ctid. */
async function staleValues(sql: HallSql, c: { table: string; column: string }) {
  const rows = await sql.all<{ id: string; v: string }>(
    `SELECT ctid::text AS id, ${quoted(c.column)} AS v FROM ${quoted(c.table)} WHERE ${quoted(c.column)} LIKE '"zk1:%'`,
  );
  return rows.filter((r) => isSealedText(r.v) && sealedKeyId(r.v) !== sql.sealer.keyId);
}

/** Seals again every value another key sealed (one transaction); how many per `table.column`. */
export async function resealPostgresValues(sql: HallSql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await sql.transaction(async () => {
    for (const c of await textColumns(sql)) {
      // ctid is stable for a row until it is updated, and each row of this column is updated once,
      // inside this transaction, with every node stopped.
      const stale = await staleValues(sql, c);
      for (const r of stale)
        await sql.run(`UPDATE ${quoted(c.table)} SET ${quoted(c.column)} = ? WHERE ctid = ?::tid`, [
          sql.sealer.sealText(sql.sealer.openText(r.v)),
          r.id,
        ]);
      if (stale.length > 0) counts[`${c.table}.${c.column}`] = stale.length;
    }
  });
  return counts;
}

/** How many sealed values are not sealed with the current key. */
export async function postgresValuesNotSealedWithCurrentKey(sql: HallSql): Promise<number> {
  let n = 0;
  for (const c of await textColumns(sql)) n += (await staleValues(sql, c)).length;
  return n;
}

/**
 * Rotates the hall's at-rest key with its data on PostgreSQL: the sealed values in the database,
 * the blobs (files and packs) in the data directory, as `hall db reseal` does for hall.db.
 */
export async function resealPostgresHall(c: {
  dataDir: string;
  databaseUrl: string;
  atRest: HallAtRestOptions;
}): Promise<Result<KeyRotation, string>> {
  const busy = await postgresInUse(c.databaseUrl, 'a key rotation');
  if (busy !== null) return err(busy);
  const database: RotationDatabase<HallStore> = {
    open: async () => {
      const opened = await openHallStore({
        dataDir: c.dataDir,
        databaseUrl: c.databaseUrl,
        databasePoolSize: 2,
        ...c.atRest,
      });
      return opened.ok ? { ok: true, db: opened.store } : { ok: false, message: opened.message };
    },
    sealerOf: (store) => store.sql.sealer,
    resealValues: (store) => resealPostgresValues(store.sql),
    valuesLeft: (store) => postgresValuesNotSealedWithCurrentKey(store.sql),
    close: (store) => store.close(),
  };
  return rotateAtRestKeyOf({
    keyFile: hallKeyFileFor(join(c.dataDir, 'hall.db'), c.atRest.keyFile).path,
    database,
    roots: [join(c.dataDir, 'blobs')],
    beforeFiles: async (store) => {
      // As on SQLite (src/cli/commands/hall.ts): clear blobs sealed, packs of the old key rewritten,
      // unfinished uploads (frames of the old key) dropped — the kiosks upload those again.
      const blobs = createHallBlobs({ sql: store.sql, dataDir: c.dataDir, clock: () => new Date() });
      blobs.blobStore.sealClearBlobs();
      await blobs.blobMaintenance.resealPacks();
      rmSync(join(c.dataDir, 'blobs', '.partial'), { recursive: true, force: true });
    },
  });
}
