/**
 * What the hall's answers mean for the kiosk's own records (the sync client's `RecordHandlers`):
 * a pulled case status becomes the application's status and a history row the resident reads in
 * 进度查询; an acknowledged application starts its retention clock and is now at the hall
 * (`submitted` → `received`); the retention purge forgets personal data and reports the files no
 * longer needed. Each runs inside the sync transaction that records the hall's answer.
 */
import type { CaseStatus } from '../../shared/index.js';
import { caseStatusNote, type CaseStatusData } from '../../shared/wire/index.js';
import type { AcknowledgedEntry, DocumentMeta, PurgeOutcome, RecordHandlers } from '../../sync/index.js';
import type { Db } from '../store/db.js';

export type CaseStatusEvent = { applicationId: string; status: CaseStatus };

export function createRecordHandlers(deps: {
  db: Db;
  /** Told after the transaction that recorded a case status commits (e.g. the 即办件 wait). */
  onCaseStatus?: (e: CaseStatusEvent) => void;
}): RecordHandlers {
  const { db } = deps;
  const q = {
    status: db.prepare('SELECT status FROM applications WHERE id = ?').pluck(),
    history: db.prepare(
      "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, ?, ?, 'hall', ?, ?)",
    ),
    setStatus: db.prepare('UPDATE applications SET status = ?, updated_at = ? WHERE id = ?'),
    acknowledged: db.prepare(
      'UPDATE applications SET hall_acknowledged_at = coalesce(hall_acknowledged_at, ?) WHERE id = ?',
    ),
    toPurge: db
      .prepare(
        `SELECT id FROM applications
         WHERE hall_acknowledged_at IS NOT NULL AND hall_acknowledged_at <= ? AND purged_at IS NULL`,
      )
      .pluck(),
    clear: db.prepare(
      `UPDATE applications SET applicant_name = NULL, applicant_id_number = NULL, helper_name = NULL,
         helper_id_number = NULL, form = NULL, delivery = NULL, purged_at = ?, updated_at = ? WHERE id = ?`,
    ),
    // A file goes when no application that still keeps its data references it.
    purgeFiles: db.prepare(
      `UPDATE attachments SET purged_at = ?
       WHERE purged_at IS NULL
         AND sha256 IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NOT NULL)
         AND sha256 NOT IN (SELECT aa.sha256 FROM application_attachments aa JOIN applications a ON a.id = aa.application_id WHERE a.purged_at IS NULL)`,
    ),
    purgedFiles: db.prepare('SELECT sha256 FROM attachments WHERE purged_at IS NOT NULL').pluck(),
  };

  const announce = (e: CaseStatusEvent) => {
    const listener = deps.onCaseStatus;
    // After the surrounding transaction: a listener reading the application sees it committed.
    if (listener) setImmediate(() => listener(e));
  };

  function caseStatus(applicationId: string, data: CaseStatusData, meta: DocumentMeta): void {
    if (q.status.get(applicationId) === undefined) return;
    const { status, at, note: _note, ...detail } = data;
    q.history.run(
      applicationId,
      status,
      at,
      caseStatusNote(data),
      Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
    );
    q.setStatus.run(status, meta.at, applicationId);
    announce({ applicationId, status });
  }

  function acknowledged(entries: readonly AcknowledgedEntry[], at: string): void {
    for (const e of entries) {
      if (e.kind !== 'application' || e.status !== 'applied') continue;
      q.acknowledged.run(at, e.entityId);
      // The hall has it now: 已提交，待上传 becomes 大厅已收件 (unless the hall already said more).
      if (q.status.get(e.entityId) === 'submitted') {
        q.history.run(e.entityId, 'received', at, null, null);
        q.setStatus.run('received', at, e.entityId);
        announce({ applicationId: e.entityId, status: 'received' });
      }
    }
  }

  function purge(cutoff: string, at: string): PurgeOutcome {
    const ids = q.toPurge.all(cutoff) as string[];
    for (const id of ids) q.clear.run(at, at, id);
    q.purgeFiles.run(at);
    return { applicationIds: ids, files: q.purgedFiles.all() as string[] };
  }

  return { caseStatus, acknowledged, purge };
}
