/**
 * Start-up repairs of the data directory (docs/store.md, "Start-up repairs"): what a crash or an
 * older release left behind is put right before the first resident arrives.
 *
 * - temp files of interrupted writes (`blobs/<aa>/.tmp-…`, `archive/<receipt>.pdf.tmp-<pid>`) are
 *   removed — they may hold personal data, and nothing will ever rename them;
 * - an archived form whose application is purged (a crash between the purge's commit and the file's
 *   deletion) or unknown is removed;
 * - files written before sealing existed (plain scans, plain PDFs) are sealed in place;
 * - the applications that keep their data but have no archived form (a crash before the PDF was
 *   written) are returned, for the archive queue.
 */
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isSealedBytes, sealerFor } from '../../shared/at-rest/index.js';
import { createApplicationsStore } from '../store/applications-store.js';
import type { Db } from '../store/db.js';
import { ARCHIVE_TEMP_MARK } from './application-archive.js';

export type RepairSummary = {
  tempFiles: number;
  strayArchives: number;
  sealedFiles: number;
  /** Applications to archive again. */
  unarchived: string[];
};

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

export function repairDataDir(deps: { db: Db; dataDir: string }): RepairSummary {
  const { db } = deps;
  const sealer = sealerFor(db);
  const applications = createApplicationsStore(db);
  const summary: RepairSummary = { tempFiles: 0, strayArchives: 0, sealedFiles: 0, unarchived: [] };
  const remove = (file: string) => {
    try {
      unlinkSync(file);
      return true;
    } catch {
      return false;
    }
  };
  // Sealed in place: temp file, then rename over the plain one.
  const sealInPlace = (file: string) => {
    const bytes = readFileSync(file);
    if (isSealedBytes(bytes)) return;
    const tmp = `${file}${ARCHIVE_TEMP_MARK}${process.pid}`;
    writeFileSync(tmp, sealer.seal(bytes), { mode: 0o600 });
    renameSync(tmp, file);
    summary.sealedFiles++;
  };

  const blobs = join(deps.dataDir, 'blobs');
  for (const shard of list(blobs)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of list(join(blobs, shard))) {
      const file = join(blobs, shard, name);
      if (name.startsWith('.tmp-')) summary.tempFiles += remove(file) ? 1 : 0;
      else if (/^[0-9a-f]{64}$/.test(name)) sealInPlace(file);
    }
  }

  const archiveDir = join(deps.dataDir, 'archive');
  const kept = applications.keptReceipts();
  for (const name of list(archiveDir)) {
    const file = join(archiveDir, name);
    if (name.includes(ARCHIVE_TEMP_MARK)) summary.tempFiles += remove(file) ? 1 : 0;
    else if (name.endsWith('.pdf') && !kept.has(basename(name, '.pdf')))
      summary.strayArchives += remove(file) ? 1 : 0;
    else if (name.endsWith('.pdf')) sealInPlace(file);
  }

  summary.unarchived = applications.unarchived().concat(applications.archivedMissing(existsSync));
  return summary;
}
