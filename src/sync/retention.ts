/**
 * Retention (issue 5, kiosk side; DESIGN.md "Personal data"): once the hall has acknowledged an
 * application (applications.hall_acknowledged_at, set when its outbox entry is acked as applied)
 * and the retention window has passed, the kiosk forgets the resident's personal data and scanned
 * files. What stays: the application row with its masked name, status and status history, so
 * 进度查询 keeps working.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncDb } from './store.js';

export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type PurgeResult = { applications: number; blobs: number };

export function purgeAcknowledged(deps: {
  db: SyncDb;
  blobDir: string;
  clock: () => Date;
  retentionMs?: number;
}): PurgeResult {
  const { db } = deps;
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - (deps.retentionMs ?? DEFAULT_RETENTION_MS)).toISOString();
  const at = now.toISOString();
  const purgedApps = db.transaction((): number => {
    const ids = db
      .prepare(
        `SELECT id FROM applications
         WHERE hall_acknowledged_at IS NOT NULL AND hall_acknowledged_at <= ? AND purged_at IS NULL`,
      )
      .pluck()
      .all(cutoff) as string[];
    const clear = db.prepare(
      `UPDATE applications SET applicant_name = NULL, applicant_id_number = NULL, helper_name = NULL,
         helper_id_number = NULL, form = NULL, delivery = NULL, purged_at = ?, updated_at = ? WHERE id = ?`,
    );
    // The acknowledged outbox copy holds the same personal data; the hall is authoritative now.
    const outbox = db.prepare(
      `UPDATE outbox SET payload = json_object('purged', json('true'), 'id', entity_id)
       WHERE kind = 'application' AND entity_id = ? AND acked_at IS NOT NULL`,
    );
    for (const id of ids) {
      clear.run(at, at, id);
      outbox.run(id);
    }
    // A file goes when no application that still keeps its data references it.
    db.prepare(
      `UPDATE attachments SET purged_at = ?
       WHERE purged_at IS NULL
         AND sha256 IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NOT NULL)
         AND sha256 NOT IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NULL)`,
    ).run(at);
    return ids.length;
  })();
  // Files after the commit; a crash in between leaves files that the next run deletes (idempotent).
  let blobs = 0;
  for (const sha of db
    .prepare('SELECT sha256 FROM attachments WHERE purged_at IS NOT NULL')
    .pluck()
    .all() as string[]) {
    const file = join(deps.blobDir, sha.slice(0, 2), sha);
    if (existsSync(file)) {
      unlinkSync(file);
      blobs++;
    }
  }
  return { applications: purgedApps, blobs };
}
