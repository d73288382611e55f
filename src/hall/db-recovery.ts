/**
 * Operator recovery of the hall database (docs/hall-store.md, "Backup and restore"; CLI `hall db
 * backup | restore | new-epoch`): a backup of hall.db; a restore that puts one back and starts a
 * new change-log epoch, so kiosks refetch what the restored hall holds and resend what it lost
 * (docs/sync-protocol.md, 5.1); and a new epoch on demand (after any other repair of the log).
 * The hall must be stopped for a restore.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../shared/result.js';
import { CHANGE_LOG_MARK_FILE } from './change-log-mark.js';
import { createHallService } from './service.js';
import {
  backupHallDatabase,
  openHallDatabase,
  replaceHallDatabase,
  type EpochReason,
  type HallAtRestOptions,
  type LogEpoch,
} from './store/index.js';

type Where = { dataDir: string; atRest: HallAtRestOptions; clock: () => Date };
const dbPath = (dataDir: string) => join(dataDir, 'hall.db');

/** Opens hall.db, starts a new epoch, closes it. */
async function withNewEpoch(w: Where, reason: EpochReason): Promise<Result<LogEpoch, string>> {
  const opened = openHallDatabase(dbPath(w.dataDir), w.atRest);
  if (!opened.ok) return err(opened.message);
  try {
    const service = await createHallService({ db: opened.db, dataDir: w.dataDir, clock: w.clock });
    return ok(await service.startEpoch(reason));
  } finally {
    opened.db.close();
  }
}

/** A consistent copy of hall.db at `dest` (the hall may be running). */
export async function backupHall(w: Where & { dest: string }): Promise<Result<void, string>> {
  const opened = openHallDatabase(dbPath(w.dataDir), w.atRest);
  if (!opened.ok) return err(opened.message);
  try {
    return await backupHallDatabase(opened.db, w.dest);
  } finally {
    opened.db.close();
  }
}

/**
 * Puts a backup in place of hall.db and starts a new epoch (reason `restored`). The change-log
 * mark of the replaced database goes first, so the restore is recorded once, as what it is.
 */
export async function restoreHall(w: Where & { backup: string }): Promise<Result<LogEpoch, string>> {
  const replaced = replaceHallDatabase(dbPath(w.dataDir), w.backup);
  if (!replaced.ok) return replaced;
  rmSync(join(w.dataDir, CHANGE_LOG_MARK_FILE), { force: true });
  return withNewEpoch(w, 'restored');
}

/** A new epoch now (reason `operator`): every kiosk refetches a snapshot at its next pull. */
export const startNewEpoch = (w: Where): Promise<Result<LogEpoch, string>> => withNewEpoch(w, 'operator');
