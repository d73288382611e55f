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
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import type { Db } from '../store/db.js';

export type CaseStatusEvent = { applicationId: string; status: CaseStatus };

export function createRecordHandlers(deps: {
  db: Db;
  /** Told after the transaction that recorded a case status commits (e.g. the 即办件 wait). */
  onCaseStatus?: (e: CaseStatusEvent) => void;
}): RecordHandlers {
  const applications = createApplicationsStore(deps.db);
  const attachments = createAttachmentsStore(deps.db);

  const announce = (e: CaseStatusEvent) => {
    const listener = deps.onCaseStatus;
    // After the surrounding transaction: a listener reading the application sees it committed.
    if (listener) setImmediate(() => listener(e));
  };

  function caseStatus(applicationId: string, data: CaseStatusData, meta: DocumentMeta): void {
    if (applications.statusOf(applicationId) === undefined) return;
    const { status, at, note: _note, ...detail } = data;
    applications.addHistory({
      applicationId,
      status,
      at,
      source: 'hall',
      note: caseStatusNote(data),
      detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
    });
    applications.setStatus(applicationId, status, meta.at);
    announce({ applicationId, status });
  }

  function acknowledged(entries: readonly AcknowledgedEntry[], at: string): void {
    for (const e of entries) {
      if (e.kind !== 'application' || e.status !== 'applied') continue;
      applications.markAcknowledged(e.entityId, at);
      // The hall has it now: 已提交，待上传 becomes 大厅已收件 (unless the hall already said more).
      if (applications.statusOf(e.entityId) === 'submitted') {
        applications.addHistory({
          applicationId: e.entityId,
          status: 'received',
          at,
          source: 'hall',
          note: null,
          detail: null,
        });
        applications.setStatus(e.entityId, 'received', at);
        announce({ applicationId: e.entityId, status: 'received' });
      }
    }
  }

  function purge(cutoff: string, at: string): PurgeOutcome {
    const ids = applications.purgeable(cutoff);
    const archives: string[] = [];
    for (const id of ids) {
      const archive = applications.clearPersonalData(id, at);
      if (archive !== null) archives.push(archive);
    }
    return { applicationIds: ids, files: attachments.purgeUnreferenced(at), archives };
  }

  return { caseStatus, acknowledged, purge };
}
