/**
 * What the receipt printer gives the resident about an application: the receipt
 * (收件材料接收凭证) after a submission — printed after the commit, so a printer fault never loses an
 * application, and reprinted from 进度查询 — and the 即办件 decision slip (办理结果通知单). Every print
 * records its outcome on the application and in the audit log, in one transaction.
 */
import { printer as printers, type DeviceManager } from '../../devices/index.js';
import { progressQrPayload, type ApplicationSummary, type PrintState } from '../../shared/index.js';
import { maskAddress } from '../../shared/mask.js';
import {
  isStorageFull,
  notFound,
  ok,
  storageFull,
  type Result,
  type StorageFull,
} from '../../shared/result.js';
import type { AccessError, CaseAccess } from './case-access.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import {
  localDate,
  readDelivery,
  readForm,
  type ApplicationsConfig,
  type Lang,
} from './application-common.js';
import type { Progress } from './application-progress.js';
import type { CatalogService } from './catalog.js';

export function createReceipts(deps: {
  db: Db;
  catalog: CatalogService;
  devices: DeviceManager;
  progress: Progress;
  access: CaseAccess;
  clock: () => Date;
  config: Pick<ApplicationsConfig, 'hallName' | 'hallPhone' | 'timeZone' | 'progressUrl'>;
}) {
  const { db, catalog, config, progress, clock } = deps;
  const applications = createApplicationsStore(db);
  const attachments = createAttachmentsStore(db);
  const audit = createAuditStore(db);

  /** Runs a database write that may meet a full disk; any other failure is a bug and throws. */
  const recordUnlessFull = (write: () => void): boolean => {
    try {
      write();
      return true;
    } catch (e) {
      if (isStorageFull(e)) return false;
      throw e;
    }
  };

  /**
   * The receipt for one application, printed on the receipt printer, with its access code: the one
   * this session knows (issued at the submit, or entered), else a new one replaces the old — only the
   * hash is kept, so a code not known here cannot be printed again.
   */
  async function printReceipt(
    id: string,
    lang: Lang,
    sessionId: string | null,
  ): Promise<{ state: PrintState; detail: string | null }> {
    const r = applications.byId(id);
    if (!r) return { state: 'failed', detail: 'no such application' };
    const printer = deps.devices.receiptPrinter();
    if (!printer) {
      recordUnlessFull(() => applications.setPrint(id, 'no-printer', null));
      return { state: 'no-printer', detail: null };
    }
    const accessCode = deps.access.knownCode(sessionId, id) ?? deps.access.reissue(id, sessionId);
    const delivery = readDelivery(r.delivery) ?? { method: 'pickup' as const };
    const materials = attachments.submittedPages(r.id);
    const item = catalog.item(r.item_code);
    const form = readForm(r.form);
    const doc = printers.applicationReceipt({
      lang,
      hallName: config.hallName[lang],
      receiptNo: r.receipt_no,
      itemName: progress.itemName(r.item_code)[lang],
      applicantMasked: r.applicant_masked,
      submittedAt: new Date(r.submitted_at),
      promisedDate: r.promised_date ?? localDate(new Date(r.submitted_at), config.timeZone),
      materials: [
        ...[...materials].map(([code, pages]) => ({
          kind: 'scanned' as const,
          name: item?.materials.find((m) => m.code === code)?.name[lang] ?? code,
          pages: pages.length,
        })),
        ...(form.licences ?? []).map((code) => ({
          kind: 'e-licence' as const,
          name: item?.materials.find((m) => m.code === code)?.name[lang] ?? code,
        })),
      ],
      delivery:
        delivery.method === 'ems'
          ? { method: 'ems', addressMasked: maskAddress(delivery.address) }
          : { method: 'pickup' },
      hallPhone: config.hallPhone,
      accessCode,
      progressQr: progressQrPayload(config.progressUrl, r.receipt_no, accessCode),
      timeZone: config.timeZone,
    });
    const outcome = await printer.print(doc);
    const [state, text] =
      outcome.kind === 'printed'
        ? (['printed', null] as const)
        : (['failed', printers.printOutcomeText(outcome, lang)] as const);
    // The paper is out whatever the disk says: a full disk loses only the record of the print (the
    // receipt counts as unprinted, so the next print of the submission prints it again).
    recordUnlessFull(() =>
      db.transaction(() => {
        applications.setPrint(id, state, text);
        audit.record(
          state === 'printed' ? 'receipt-printed' : 'receipt-print-failed',
          r.receipt_no,
          { outcome: outcome.kind },
          clock().toISOString(),
        );
      })(),
    );
    return { state, detail: text };
  }

  return {
    /** Prints (or reprints) every receipt of a submission; returns the applications with their print state. */
    printSubmission: async (
      submissionId: string,
      lang: Lang,
      sessionId: string | null = null,
    ): Promise<ApplicationSummary[]> => {
      for (const r of applications.bySubmission(submissionId)) {
        if (r.print_state !== 'printed') await printReceipt(r.id, lang, sessionId);
      }
      return progress.ofSubmission(submissionId);
    },

    /**
     * 进度查询's 重新打印, for a session that may act on the application (case-access.ts): the
     * application as it is after printing (its print state says how it went).
     */
    reprint: async (
      sessionId: string,
      id: string,
      lang: Lang,
      accessCode?: string,
    ): Promise<Result<ApplicationSummary, AccessError | StorageFull>> => {
      const allowed = deps.access.authorise(sessionId, id, accessCode);
      if (!allowed.ok) return allowed;
      const r = allowed.value;
      // Every reprint is audited: with no room for the entry, no reprint.
      if (!recordUnlessFull(() => audit.record('receipt-reprint', r.receipt_no, null, clock().toISOString())))
        return storageFull();
      await printReceipt(id, lang, sessionId);
      const after = applications.byId(id);
      return after ? ok(progress.summary(after)) : notFound();
    },

    /** 即办件: the decision slip, after the hall decided while the resident waited. */
    printDecision: async (id: string, lang: Lang): Promise<PrintState> => {
      const r = applications.byId(id);
      const printer = deps.devices.receiptPrinter();
      if (!r || (r.status !== 'completed' && r.status !== 'refused')) return 'failed';
      if (!printer) return 'no-printer';
      const last = applications
        .history(id)
        .filter((h) => h.status === r.status)
        .pop();
      const outcome = await printer.print(
        printers.decisionSlip({
          lang,
          hallName: config.hallName[lang],
          receiptNo: r.receipt_no,
          itemName: progress.itemName(r.item_code)[lang],
          applicantMasked: r.applicant_masked,
          decision: r.status === 'completed' ? 'completed' : 'refused',
          note: last?.note ?? null,
          decidedAt: new Date(last?.at ?? clock().toISOString()),
          progressQr: progressQrPayload(config.progressUrl, r.receipt_no),
          timeZone: config.timeZone,
        }),
      );
      audit.record(
        outcome.kind === 'printed' ? 'decision-printed' : 'decision-print-failed',
        r.receipt_no,
        { outcome: outcome.kind },
        clock().toISOString(),
      );
      return outcome.kind === 'printed' ? 'printed' : 'failed';
    },
  };
}
export type Receipts = ReturnType<typeof createReceipts>;
