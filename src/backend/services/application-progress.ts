/**
 * 进度查询 (docs/resident-journey.md, "进度查询 (progress)"): an application as the resident sees it — its summary
 * (status, print state, promised date) and detail (history, a 补正 request with the materials asked for,
 * whether it reached the hall and was evaluated) — by receipt number, by id, or the identified applicant's
 * own (by the salted hash of the card's ID number, which survives the retention purge).
 */
import type {
  ApplicationDetail,
  ApplicationSummary,
  Localized,
  ReceiptLookupAnswer,
} from '../../shared/index.js';
import { err, ok, sessionExpired, type Result, type SessionExpired } from '../../shared/result.js';
import { createApplicationsStore, type ApplicationRow } from '../store/applications-store.js';
import { createConfigStore } from '../store/config-store.js';
import type { Db } from '../store/db.js';
import { createEvaluationsStore } from '../store/evaluations-store.js';
import { readDelivery } from './application-common.js';
import type { AccessError, CaseAccess } from './case-access.js';
import type { CatalogService } from './catalog.js';
import { idNumberHash, type SessionService } from './session.js';

/** Why the applicant's own list cannot be given: the session lapsed, or no card was read in it. */
export type MineError = SessionExpired | { kind: 'no-identity' };

export function createProgress(deps: {
  db: Db;
  catalog: CatalogService;
  sessions: SessionService;
  access: CaseAccess;
  idSalt: string;
}) {
  const { catalog } = deps;
  const applications = createApplicationsStore(deps.db);
  const evaluations = createEvaluationsStore(deps.db);
  const config = createConfigStore(deps.db);

  function itemName(code: string): Localized {
    return catalog.item(code)?.name ?? { zh: code, en: code };
  }

  function summary(r: ApplicationRow): ApplicationSummary {
    return {
      id: r.id,
      receiptNo: r.receipt_no,
      itemCode: r.item_code,
      itemName: itemName(r.item_code),
      caseType: r.case_type,
      applicantMasked: r.applicant_masked,
      submittedAt: r.submitted_at,
      promisedDate: r.promised_date,
      status: r.status,
      deliveryMethod: readDelivery(r.delivery)?.method ?? null,
      printState: r.print_state,
      printDetail: r.print_detail,
      bundleSubmissionId: r.bundle_submission_id,
    };
  }

  function detail(r: ApplicationRow): ApplicationDetail {
    const history = applications.history(r.id);
    let correction: ApplicationDetail['correction'] = null;
    if (r.status === 'correction-requested') {
      const last = [...history].reverse().find((h) => h.status === 'correction-requested');
      if (last) {
        const d = last.detail ? (JSON.parse(last.detail) as { materials?: unknown }) : {};
        const codes = Array.isArray(d.materials)
          ? d.materials.filter((m): m is string => typeof m === 'string')
          : [];
        const item = catalog.item(r.item_code);
        correction = {
          requestedAt: last.at,
          note: last.note,
          materials: codes.map((code) => ({
            code,
            name: item?.materials.find((m) => m.code === code)?.name ?? { zh: code, en: code },
          })),
        };
      }
    }
    // The sync client's state (it owns the key): when the kiosk last reached the hall.
    const syncState = config.read<{ lastSuccessAt?: string | null }>('sync.state');
    return {
      ...summary(r),
      history: history.map(({ status, at, source, note }) => ({ status, at, source, note })),
      correction,
      lastSyncAt: syncState?.lastSuccessAt ?? null,
      hallAcknowledged: r.hall_acknowledged_at !== null,
      evaluated: evaluations.ofTarget({ kind: 'application', id: r.id }) !== undefined,
    };
  }

  return {
    itemName,
    summary,
    detail,
    /** The applications of one submission, as the submit and print answers list them. */
    ofSubmission: (submissionId: string): ApplicationSummary[] =>
      applications.bySubmission(submissionId).map(summary),
    /**
     * A receipt number typed or scanned by a person: the status only, or the application when the
     * session's card is the applicant's or the access code matches (case-access.ts decides).
     */
    byReceipt: (
      sessionId: string,
      receiptNo: string,
      accessCode?: string,
    ): Result<ReceiptLookupAnswer, AccessError> => {
      const r = deps.access.byReceipt(sessionId, receiptNo, accessCode);
      if (!r.ok) return r;
      return r.value.access === 'status'
        ? ok({ access: 'status', status: r.value.status })
        : ok({ access: 'full', application: detail(r.value.row) });
    },
    /** One application, for the backend's own use (no access check: never answered to a screen as it is). */
    byId: (id: string): ApplicationDetail | null => {
      const r = applications.byId(id);
      return r ? detail(r) : null;
    },
    /** An application opened from a list or a receipt, when this session may see it (case-access.ts). */
    find: (sessionId: string, id: string, accessCode?: string): Result<ApplicationDetail, AccessError> => {
      const r = deps.access.authorise(sessionId, id, accessCode);
      return r.ok ? ok(detail(r.value)) : r;
    },
    /** The session applicant's applications (by the salted hash of the card's ID number). */
    forSession: (sessionId: string): Result<ApplicationSummary[], MineError> => {
      const held = deps.sessions.held(sessionId);
      if (!held) return sessionExpired();
      if (!held.applicant) return err({ kind: 'no-identity' });
      return ok(applications.byIdHash(idNumberHash(deps.idSalt, held.applicant.idNumber)).map(summary));
    },
  };
}
export type Progress = ReturnType<typeof createProgress>;
