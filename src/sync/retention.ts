/**
 * Retention (docs/privacy.md, "Retention: purged after the hall has it"): once the hall has acknowledged an
 * application and the retention window has passed, the kiosk forgets the resident's personal data and scanned
 * files. The backend forgets its own rows (`RecordHandlers.purge`: name, ID number, form, address,
 * files no longer referenced) and sync forgets its own copy — the acknowledged outbox payload —
 * in the same transaction. What stays: the application row with its masked name, status and status
 * history, so 进度查询 keeps working. The archived form PDFs go too, and the database is checkpointed
 * with its WAL truncated, so no copy of the forgotten values stays on the disk
 * (docs/security.md, "Personal data at rest").
 */
import { existsSync, unlinkSync } from 'node:fs';
import { blobFile } from './blobs.js';
import { checkpointAndTruncate, forgetAcknowledgedPayloads, type SyncDb } from './store.js';
import type { RecordHandlers } from './streams.js';

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type PurgeResult = { applications: number; blobs: number; archives: number };

export function purgeAcknowledged(deps: {
  db: SyncDb;
  blobDir: string;
  clock: () => Date;
  records: Pick<RecordHandlers, 'purge'>;
  retentionMs?: number;
}): PurgeResult {
  const { db } = deps;
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - (deps.retentionMs ?? DEFAULT_RETENTION_MS)).toISOString();
  const at = now.toISOString();
  const outcome = db.transaction(() => {
    const r = deps.records.purge(cutoff, at);
    forgetAcknowledgedPayloads(db, r.applicationIds);
    return r;
  })();
  // Files after the commit; a crash in between leaves files that the next run deletes (the backend
  // reports every file that is no longer needed, not only the ones of this run).
  let blobs = 0;
  for (const sha of outcome.files) {
    const file = blobFile(deps.blobDir, sha);
    if (existsSync(file)) {
      unlinkSync(file);
      blobs++;
    }
  }
  // The archived forms (full name and ID number). One a crash left behind is removed at the next
  // start (the backend's start-up repair deletes archives of purged applications).
  let archives = 0;
  for (const file of outcome.archives ?? []) {
    if (existsSync(file)) {
      unlinkSync(file);
      archives++;
    }
  }
  // The rows are gone from the database pages (secure_delete, set when the database opens); the
  // checkpoint copies them into the database file and truncates the WAL, so no old page with the
  // forgotten values stays in the WAL either.
  if (outcome.applicationIds.length > 0) checkpointAndTruncate(db);
  return { applications: outcome.applicationIds.length, blobs, archives };
}
