/**
 * Operator recovery of the hall database (docs/hall-store.md, "Backup and restore"; CLI `hall db
 * backup | restore | new-epoch`): a backup; a restore that puts one back and starts a new change-log
 * epoch, so kiosks refetch what the restored hall holds and resend what it lost
 * (docs/sync-protocol.md, 5.1); and a new epoch on demand (after any other repair of the log).
 * The hall must be stopped for a restore.
 *
 * On either engine: the embedded SQLite hall.db (SQLite's online backup, a checked file put in
 * place), or PostgreSQL with HALL_DATABASE_URL (`databaseUrl`: pg_dump / pg_restore, store/pg-backup.ts).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { err, ok, type Result } from '../shared/result.js';
import { CHANGE_LOG_MARK_FILE } from './change-log-mark.js';
import { HALL_CHANNELS } from './notifier.js';
import { createHallService } from './service.js';
import { pgNotify } from './store/pg-notify.js';
import {
  backupHallDatabase,
  backupPostgresHall,
  openHallDatabase,
  openHallStore,
  replaceHallDatabase,
  restorePostgresHall,
  type EpochReason,
  type HallAtRestOptions,
  type LogEpoch,
  type PgToolsEnv,
} from './store/index.js';

type Where = {
  dataDir: string;
  atRest: HallAtRestOptions;
  clock: () => Date;
  /** HALL_DATABASE_URL: the hall on PostgreSQL (else hall.db in dataDir). */
  databaseUrl?: string;
  /** Where pg_dump, pg_restore and psql are (PG_BIN_DIR, PATH); PostgreSQL only. */
  pgTools?: PgToolsEnv;
  /** HALL_NOTIFY_URL (default the database's): running nodes are told of a new epoch there. */
  notifyUrl?: string;
};
const dbPath = (dataDir: string) => join(dataDir, 'hall.db');

/** Opens the hall's store (either engine, migrated), starts a new epoch, closes it. */
async function withNewEpoch(w: Where, reason: EpochReason): Promise<Result<LogEpoch, string>> {
  const opened = await openHallStore({
    dataDir: w.dataDir,
    ...(w.databaseUrl !== undefined ? { databaseUrl: w.databaseUrl, databasePoolSize: 2 } : {}),
    ...w.atRest,
  });
  if (!opened.ok) return err(opened.message);
  let epoch: LogEpoch;
  try {
    const service = await createHallService({ db: opened.store.sql, dataDir: w.dataDir, clock: w.clock });
    epoch = await service.startEpoch(reason);
  } finally {
    await opened.store.close();
  }
  if (w.notifyUrl !== undefined) await tellRunningNodes(w.notifyUrl);
  return ok(epoch);
}

/**
 * On PostgreSQL, nodes running meanwhile are told "every kiosk has a change" (notifier.ts, as a node's
 * own new epoch announces it), so their long-polls answer now with the new epoch rather than at their
 * timeout. A hint only: a NOTIFY that does not get through leaves the polls to end by themselves.
 */
async function tellRunningNodes(notifyUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: notifyUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await pgNotify(client, HALL_CHANNELS.changes, `cli-${randomBytes(6).toString('hex')}:*`);
  } catch {
    // Not reachable: the epoch is in the database all the same.
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A consistent copy of the hall database at `dest` (the hall may be running). */
export async function backupHall(w: Where & { dest: string }): Promise<Result<void, string>> {
  if (w.databaseUrl !== undefined) {
    const r = await backupPostgresHall({ url: w.databaseUrl, dest: w.dest, tools: w.pgTools ?? {} });
    return r.ok ? ok(undefined) : r;
  }
  const opened = openHallDatabase(dbPath(w.dataDir), w.atRest);
  if (!opened.ok) return err(opened.message);
  try {
    return await backupHallDatabase(opened.db, w.dest);
  } finally {
    opened.db.close();
  }
}

/**
 * Puts a backup in place of the hall database and starts a new epoch (reason `restored`). The
 * change-log mark of the replaced database goes first, so the restore is recorded once, as what it is.
 */
export async function restoreHall(w: Where & { backup: string }): Promise<Result<LogEpoch, string>> {
  if (w.databaseUrl !== undefined) {
    const restored = await restorePostgresHall({
      url: w.databaseUrl,
      backup: w.backup,
      tools: w.pgTools ?? {},
    });
    if (!restored.ok) return restored;
  } else {
    const replaced = replaceHallDatabase(dbPath(w.dataDir), w.backup);
    if (!replaced.ok) return replaced;
  }
  rmSync(join(w.dataDir, CHANGE_LOG_MARK_FILE), { force: true });
  return withNewEpoch(w, 'restored');
}

/** A new epoch now (reason `operator`): every kiosk refetches a snapshot at its next pull. */
export const startNewEpoch = (w: Where): Promise<Result<LogEpoch, string>> => withNewEpoch(w, 'operator');
