/**
 * The hall's store on the engine its configuration names (docs/hall-store.md, "One query layer, two
 * engines"): the embedded SQLite database `<dataDir>/hall.db` by default, PostgreSQL when
 * HALL_DATABASE_URL is set. Both come back as a `HallSql`; the SQLite connection is kept beside it
 * for what is SQLite's own (online backup, `zk_reseal` in SQL, the kiosk-side tests' direct reads);
 * on PostgreSQL those are pg-backup.ts and ../pg-reseal.ts.
 */
import { join } from 'node:path';
import type { SealAlgorithm } from '../../shared/at-rest/index.js';
import { hallKeyFileFor, hallSqlOf, openHallDatabase, type HallDb } from './db.js';
import { describePostgresUrl, openPostgresHall } from './postgres.js';
import type { HallSql } from './sql.js';

export type HallStoreConfig = {
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize?: number;
  keyFile?: string;
  algorithm?: SealAlgorithm;
};

export type HallStore = {
  sql: HallSql;
  /** The SQLite connection (null on PostgreSQL). */
  sqlite: HallDb | null;
  /** Where the data is, for logs: the file, or the server and database (never a password). */
  where: string;
  migratedFrom: number;
  migratedTo: number;
  close(): Promise<void>;
};

export type OpenHallStoreResult =
  | { ok: true; store: HallStore }
  | { ok: false; error: 'cannot-open' | 'newer-version' | 'wrong-key' | 'corrupt'; message: string };

export async function openHallStore(c: HallStoreConfig): Promise<OpenHallStoreResult> {
  if (c.databaseUrl !== undefined) {
    const opened = await openPostgresHall({
      url: c.databaseUrl,
      // The key file every node shares: HALL_KEY_FILE, else the one in the (shared) data directory.
      keyFile: hallKeyFileFor(join(c.dataDir, 'hall.db'), c.keyFile),
      ...(c.algorithm ? { algorithm: c.algorithm } : {}),
      ...(c.databasePoolSize !== undefined ? { poolSize: c.databasePoolSize } : {}),
    });
    if (!opened.ok) return opened;
    return {
      ok: true,
      store: {
        sql: opened.sql,
        sqlite: null,
        where: `PostgreSQL ${describePostgresUrl(c.databaseUrl)}`,
        migratedFrom: opened.migratedFrom,
        migratedTo: opened.migratedTo,
        close: () => opened.sql.close(),
      },
    };
  }
  const path = join(c.dataDir, 'hall.db');
  const opened = openHallDatabase(path, {
    ...(c.keyFile ? { keyFile: c.keyFile } : {}),
    ...(c.algorithm ? { algorithm: c.algorithm } : {}),
  });
  if (!opened.ok) return { ok: false, error: opened.error, message: opened.message };
  const sql = hallSqlOf(opened.db);
  return {
    ok: true,
    store: {
      sql,
      sqlite: opened.db,
      where: path,
      migratedFrom: opened.migratedFrom,
      migratedTo: opened.migratedTo,
      close: () => sql.close(),
    },
  };
}

/** Whether the store's database answers a trivial query (GET /readyz, src/hall/readiness.ts). */
export async function databaseAnswers(sql: Pick<HallSql, 'value'>): Promise<boolean> {
  return Number(await sql.value<number | string>('SELECT 1')) === 1;
}
