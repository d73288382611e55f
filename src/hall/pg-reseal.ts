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
import { rotateAtRestKeyOf, type KeyRotation, type RotationDatabase } from '../shared/at-rest/index.js';
import { err, type Result } from '../shared/result.js';
import { createHallBlobs } from './service.js';
import {
  hallKeyFileFor,
  openHallStore,
  postgresInUse,
  postgresValuesNotSealedWithCurrentKey,
  resealPostgresValues,
  type HallAtRestOptions,
  type HallStore,
} from './store/index.js';

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
