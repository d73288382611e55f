/**
 * 办件 on the kiosk: `applications`, their `application_status_history`, the `submissions` that
 * carry the screen's idempotency key, and 补正 `supplements`. SQL only — what may be written when is
 * decided by the services (application-*.ts, kiosk-records.ts).
 */
import type { CaseStatus, PrintState } from '../../shared/index.js';
import type { Db } from './db.js';

export type ApplicationRow = {
  id: string;
  receipt_no: string;
  item_code: string;
  bundle_submission_id: string | null;
  applicant_masked: string;
  status: CaseStatus;
  submitted_at: string;
  promised_date: string | null;
  delivery: string | null;
  case_type: 'immediate' | 'promised';
  print_state: PrintState;
  print_detail: string | null;
  hall_acknowledged_at: string | null;
  integrity_ack_at: string | null;
  applicant_name: string | null;
  applicant_id_number: string | null;
  helper_name: string | null;
  helper_id_number: string | null;
  form: string | null;
  archive_file: string | null;
  purged_at: string | null;
  /** The salted hash of the applicant's ID number (session.ts, idNumberHash); kept after the purge. */
  applicant_id_hash: string | null;
  /** The receipt access code's salted hash (case-access.ts); null before migration 7. */
  access_code_hash: string | null;
};

/** What a technician may see of an application (`application show`): no personal data but the masked name. */
export type ApplicationSummary = Pick<
  ApplicationRow,
  | 'id'
  | 'receipt_no'
  | 'item_code'
  | 'applicant_masked'
  | 'status'
  | 'submitted_at'
  | 'promised_date'
  | 'print_state'
  | 'print_detail'
  | 'archive_file'
  | 'hall_acknowledged_at'
>;

export type NewApplication = {
  id: string;
  receiptNo: string;
  itemCode: string;
  bundleCode: string | null;
  submissionId: string;
  jurisdiction: string;
  applicantName: string;
  applicantId: string;
  applicantMasked: string;
  helperName: string | null;
  helperId: string | null;
  /** JSON text: `{ values, licences }`. */
  form: string;
  /** JSON text of the Delivery. */
  delivery: string;
  at: string;
  promisedDate: string;
  idHash: string;
  caseType: 'immediate' | 'promised';
  /** The receipt access code's salted hash (case-access.ts), never the code. */
  accessCodeHash: string;
};

export type HistoryRow = {
  status: CaseStatus;
  at: string;
  source: 'kiosk' | 'hall';
  note: string | null;
  detail: string | null;
};

/**
 * Every column of an application, the personal ones opened (they are sealed at rest with the
 * kiosk's key: migration 6, docs/security.md "Personal data at rest").
 */
const APPLICATION_COLUMNS = `id, receipt_no, item_code, bundle_code, bundle_submission_id, jurisdiction, applicant_masked,
  status, submitted_at, promised_date, hall_acknowledged_at, purged_at, updated_at, applicant_id_hash, case_type,
  integrity_ack_at, print_state, print_detail, archive_file, access_code_hash,
  zk_open(applicant_name) AS applicant_name, zk_open(applicant_id_number) AS applicant_id_number,
  zk_open(helper_name) AS helper_name, zk_open(helper_id_number) AS helper_id_number,
  zk_open(form) AS form, zk_open(delivery) AS delivery`;

export function createApplicationsStore(db: Db) {
  const q = {
    submissionByKey: db.prepare('SELECT id FROM submissions WHERE idempotency_key = ?').pluck(),
    insSubmission: db.prepare(
      'INSERT INTO submissions (id, idempotency_key, target_kind, target_code, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    // A range on the unique index (LIKE is case-insensitive and would scan every application).
    lastReceipt: db
      .prepare(
        'SELECT receipt_no FROM applications WHERE receipt_no >= ? AND receipt_no < ? ORDER BY receipt_no DESC LIMIT 1',
      )
      .pluck(),
    insApp: db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, bundle_code, bundle_submission_id, jurisdiction, applicant_name,
         applicant_id_number, applicant_masked, helper_name, helper_id_number, form, delivery, status, submitted_at,
         promised_date, updated_at, applicant_id_hash, case_type, integrity_ack_at, print_state, access_code_hash)
       VALUES (@id, @receiptNo, @itemCode, @bundleCode, @submissionId, @jurisdiction, zk_seal(@applicantName),
         zk_seal(@applicantId), @applicantMasked, zk_seal(@helperName), zk_seal(@helperId), zk_seal(@form),
         zk_seal(@delivery), 'submitted', @at, @promisedDate, @at, @idHash,
         @caseType, @at, 'pending', @accessCodeHash)`,
    ),
    insHistory: db.prepare(
      'INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    byId: db.prepare(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE id = ?`),
    byReceipt: db.prepare(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE receipt_no = ?`),
    // The columns in this order are the technician CLI's output (its --json keys).
    summary: db.prepare(
      `SELECT id, receipt_no, item_code, applicant_masked, status, submitted_at, promised_date, print_state,
         print_detail, archive_file, hall_acknowledged_at FROM applications WHERE receipt_no = ?`,
    ),
    bySubmission: db.prepare(
      `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE bundle_submission_id = ? ORDER BY receipt_no`,
    ),
    byHash: db.prepare(
      `SELECT ${APPLICATION_COLUMNS} FROM applications WHERE applicant_id_hash = ? ORDER BY submitted_at DESC LIMIT 50`,
    ),
    status: db.prepare('SELECT status FROM applications WHERE id = ?').pluck(),
    setPrint: db.prepare('UPDATE applications SET print_state = ?, print_detail = ? WHERE id = ?'),
    setArchive: db.prepare('UPDATE applications SET archive_file = ? WHERE id = ?'),
    setAccessCode: db.prepare('UPDATE applications SET access_code_hash = ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE applications SET status = ?, updated_at = ? WHERE id = ?'),
    history: db.prepare(
      'SELECT status, at, source, note, detail FROM application_status_history WHERE application_id = ? ORDER BY id',
    ),
    supplementByKey: db.prepare('SELECT application_id FROM supplements WHERE idempotency_key = ?').pluck(),
    insSupplement: db.prepare(
      'INSERT INTO supplements (id, application_id, idempotency_key, submitted_at) VALUES (?, ?, ?, ?)',
    ),
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
         helper_id_number = NULL, form = NULL, delivery = NULL, archive_file = NULL, purged_at = ?, updated_at = ?
       WHERE id = ?`,
    ),
    archiveOf: db.prepare('SELECT archive_file FROM applications WHERE id = ?').pluck(),
    unarchived: db
      .prepare(
        'SELECT id FROM applications WHERE purged_at IS NULL AND archive_file IS NULL ORDER BY submitted_at',
      )
      .pluck(),
    keptReceipts: db.prepare('SELECT receipt_no FROM applications WHERE purged_at IS NULL').pluck(),
    archived: db.prepare(
      'SELECT id, archive_file FROM applications WHERE purged_at IS NULL AND archive_file IS NOT NULL ORDER BY submitted_at',
    ),
  };

  return {
    // ---- submissions ----
    submissionByKey: (key: string): string | undefined => q.submissionByKey.get(key) as string | undefined,
    insertSubmission(s: {
      id: string;
      key: string;
      targetKind: 'item' | 'bundle';
      targetCode: string;
      at: string;
    }): void {
      q.insSubmission.run(s.id, s.key, s.targetKind, s.targetCode, s.at);
    },
    /** The highest receipt number starting with `prefix` (they are zero-padded, so text order works). */
    lastReceiptNo: (prefix: string): string | undefined =>
      // Receipt numbers continue the prefix with digits, all below '~'.
      q.lastReceipt.get(prefix, `${prefix}~`) as string | undefined,

    // ---- applications ----
    insert(a: NewApplication): void {
      q.insApp.run(a);
    },
    byId: (id: string): ApplicationRow | undefined => q.byId.get(id) as ApplicationRow | undefined,
    byReceipt: (receiptNo: string): ApplicationRow | undefined =>
      q.byReceipt.get(receiptNo) as ApplicationRow | undefined,
    /** The masked view of one application, for the technician; the personal columns are not read. */
    summaryByReceipt: (receiptNo: string): ApplicationSummary | undefined =>
      q.summary.get(receiptNo) as ApplicationSummary | undefined,
    bySubmission: (submissionId: string): ApplicationRow[] =>
      q.bySubmission.all(submissionId) as ApplicationRow[],
    /** The newest 50 applications of an applicant, by the salted hash of the ID number. */
    byIdHash: (hash: string): ApplicationRow[] => q.byHash.all(hash) as ApplicationRow[],
    statusOf: (id: string): CaseStatus | undefined => q.status.get(id) as CaseStatus | undefined,
    setPrint(id: string, state: PrintState, detail: string | null): void {
      q.setPrint.run(state, detail, id);
    },
    /** A new receipt access code (its hash) replaces the old one. */
    setAccessCodeHash(id: string, hash: string): void {
      q.setAccessCode.run(hash, id);
    },
    setArchive(id: string, file: string): void {
      q.setArchive.run(file, id);
    },
    setStatus(id: string, status: CaseStatus, at: string): void {
      q.setStatus.run(status, at, id);
    },
    /** The hall has it: the first acknowledgement starts the retention clock. */
    markAcknowledged(id: string, at: string): void {
      q.acknowledged.run(at, id);
    },
    /** Applications the hall acknowledged at or before `cutoff` whose personal data is still here. */
    purgeable: (cutoff: string): string[] => q.toPurge.all(cutoff) as string[],
    /**
     * Forgets an application's personal data; the masked name, receipt and status stay. Returns the
     * archived form's file, which the caller deletes after the commit.
     */
    clearPersonalData(id: string, at: string): string | null {
      const archive = (q.archiveOf.get(id) as string | null | undefined) ?? null;
      q.clear.run(at, at, id);
      return archive;
    },
    /** Applications that keep their data but have no archived form (a crash before it was written). */
    unarchived: (): string[] => q.unarchived.all() as string[],
    /** Applications whose recorded archive file is not there (`exists` is the file system's answer). */
    archivedMissing: (exists: (file: string) => boolean): string[] =>
      (q.archived.all() as { id: string; archive_file: string }[])
        .filter((r) => !exists(r.archive_file))
        .map((r) => r.id),
    /** Receipt numbers of the applications whose data is kept (their archived forms may stay). */
    keptReceipts: (): Set<string> => new Set(q.keptReceipts.all() as string[]),

    // ---- status history ----
    addHistory(h: {
      applicationId: string;
      status: CaseStatus;
      at: string;
      source: 'kiosk' | 'hall';
      note: string | null;
      detail: string | null;
    }): void {
      q.insHistory.run(h.applicationId, h.status, h.at, h.source, h.note, h.detail);
    },
    history: (id: string): HistoryRow[] => q.history.all(id) as HistoryRow[],

    // ---- supplements ----
    supplementByKey: (key: string): string | undefined => q.supplementByKey.get(key) as string | undefined,
    insertSupplement(s: { id: string; applicationId: string; key: string; at: string }): void {
      q.insSupplement.run(s.id, s.applicationId, s.key, s.at);
    },
  };
}
export type ApplicationsStore = ReturnType<typeof createApplicationsStore>;
