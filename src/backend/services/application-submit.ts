/**
 * The durable submission (docs/resident-journey.md, "Durable before acknowledged";
 * docs/architecture.md, "Durability rules"). Scanned pages are already fsynced content-addressed files when a
 * submission starts; the applications, their attachments and status history, one outbox entry per application
 * and the `submit` audit entry are written in ONE transaction — one fsync of the WAL — and only then is the
 * resident told it is submitted. The idempotency key makes a retried submit (a double tap, a lost answer)
 * return the same applications, never a second set. The form is checked against the plan the resident was
 * shown (application-plan.ts: kept in the session, not asked of the hall again).
 */
import { sealerFor } from '../../shared/at-rest/index.js';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { scanner as scanners } from '../../devices/index.js';
import {
  EMS_FIELDS,
  validateDelivery,
  validateForm,
  type ApplicationSummary,
  type ApplyTarget,
  recipientIsApplicant,
  type Delivery,
  type DeliveryInput,
  type FieldError,
  type FormValues,
} from '../../shared/index.js';
import {
  err,
  isStorageFull,
  notFound,
  ok,
  sessionExpired,
  storageFull,
  type NotFound,
  type Result,
  type SessionExpired,
  type StorageFull,
} from '../../shared/result.js';
import type { Attachment } from '../../shared/wire/index.js';
import { promisedDate, type HolidayCalendar } from '../../shared/working-days.js';
import type { Logger } from '../logger.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { createOutboxWriter } from '../store/outbox-writer.js';
import { compactDate, localDate, type ApplicationsConfig, type Lang } from './application-common.js';
import type { Planner } from './application-plan.js';
import type { Progress } from './application-progress.js';
import type { CaseAccess } from './case-access.js';
import { idNumberHash, type SessionService } from './session.js';

export type SubmitError =
  | SessionExpired
  | { kind: 'no-identity' }
  /** The item or bundle is not in the catalog (any more). */
  | NotFound
  | { kind: 'invalid-form'; errors: FieldError[] }
  | { kind: 'invalid-delivery'; errors: FieldError[] }
  | { kind: 'delivery-not-offered'; method: Delivery['method'] }
  | { kind: 'missing-materials'; materials: string[] }
  | { kind: 'integrity-not-acknowledged' }
  | { kind: 'storage'; message: string }
  /** The disk (or the database's page limit) is full: nothing was stored; a technician frees space. */
  | StorageFull;

export type Submitted = { submissionId: string; reused: boolean; applications: ApplicationSummary[] };

export type SubmitResult = Result<Submitted, SubmitError>;

export type SubmitInput = {
  sessionId: string;
  target: ApplyTarget;
  form: FormValues;
  delivery: DeliveryInput;
  integrityAcknowledged: boolean;
  idempotencyKey: string;
  lang: Lang;
};

/**
 * The delivery as the resident gave it, trimmed; EMS fields only for EMS. 同申请人: the recipient is
 * the applicant's full name from the card held in the session — the screen only ever had it masked.
 */
function cleanDelivery(d: DeliveryInput, applicantName: string): Delivery {
  if (d.method !== 'ems') return { method: 'pickup' };
  const recipient = recipientIsApplicant(d) ? applicantName : d.recipient;
  return {
    method: 'ems',
    ...Object.fromEntries(EMS_FIELDS.map((f) => [f.key, d[f.key].trim()])),
    recipient: recipient.trim(),
  } as Delivery;
}

export function createSubmitter(deps: {
  db: Db;
  sessions: SessionService;
  planner: Planner;
  progress: Progress;
  access: CaseAccess;
  logger: Logger;
  clock: () => Date;
  config: Pick<ApplicationsConfig, 'kioskCode' | 'jurisdiction' | 'timeZone' | 'idSalt'>;
  calendar: () => HolidayCalendar;
  blobDir: string;
  /** After a commit that wrote outbox rows (wakes the sync loop). */
  onOutbox?: (() => void) | undefined;
  /** After a new submission is durable: its application ids (archiving). */
  onSubmitted?: (applicationIds: readonly string[]) => void;
}) {
  const { db, clock, logger, config, progress } = deps;
  const blobs = scanners.createBlobStore({ root: deps.blobDir, sealer: sealerFor(deps.db) });
  const applications = createApplicationsStore(db);
  const attachments = createAttachmentsStore(db);
  const outbox = createOutboxWriter(db);
  const audit = createAuditStore(db);

  /**
   * A stat on the event loop, not the thread pool: it takes microseconds, while the pool may be busy
   * with image work (page processing, the previous submission's archive) and a queued stat would
   * make the resident wait behind it.
   */
  const onDisk = (sha256: string): boolean => {
    try {
      return statSync(blobs.pathOf(sha256)).isFile();
    } catch {
      return false;
    }
  };

  function nextReceiptNo(now: Date): string {
    const prefix = `${config.kioskCode}-${compactDate(now, config.timeZone)}-`;
    const last = applications.lastReceiptNo(prefix);
    const n = last ? Number(last.slice(prefix.length)) + 1 : 1;
    return `${prefix}${String(n).padStart(4, '0')}`;
  }

  return async function submit(input: SubmitInput): Promise<SubmitResult> {
    const existing = applications.submissionByKey(input.idempotencyKey);
    if (existing)
      return ok({ submissionId: existing, reused: true, applications: progress.ofSubmission(existing) });
    const held = deps.sessions.held(input.sessionId);
    if (!held) return sessionExpired();
    const applicant = held.applicant;
    if (!applicant || (held.mode === 'assisted' && !held.helper)) return err({ kind: 'no-identity' });
    if (!input.integrityAcknowledged) return err({ kind: 'integrity-not-acknowledged' });
    const plan = await deps.planner.forSubmit(input.sessionId, applicant, input.target);
    if (!plan) return notFound();

    // Locked fields come from the card, never from the screen.
    const values: FormValues = {};
    for (const f of plan.fields) {
      values[f.key] =
        f.prefill === 'name'
          ? applicant.name
          : f.prefill === 'idNumber'
            ? applicant.idNumber
            : (input.form[f.key] ?? '').trim();
    }
    const formErrors = validateForm(plan.fields, values);
    if (formErrors.length > 0) return err({ kind: 'invalid-form', errors: formErrors });
    if (!plan.delivery[input.delivery.method])
      return err({ kind: 'delivery-not-offered', method: input.delivery.method });
    const delivery = cleanDelivery(input.delivery, applicant.name);
    const deliveryErrors = validateDelivery(delivery);
    if (deliveryErrors.length > 0) return err({ kind: 'invalid-delivery', errors: deliveryErrors });
    const missing = plan.materials
      .filter((m) => m.required && m.licence !== 'confirmed' && (held.pages.get(m.code)?.length ?? 0) === 0)
      .map((m) => m.code);
    if (missing.length > 0) return err({ kind: 'missing-materials', materials: missing });

    // Every page file must be on disk (fsynced by the blob store) before the rows point at it.
    const gone = [...held.pages.values()].flat().find((p) => !onDisk(p.sha256));
    if (gone) return err({ kind: 'storage', message: `scanned page ${gone.sha256.slice(0, 12)} is missing` });

    const now = clock();
    const at = now.toISOString();
    const licences = plan.materials.filter((m) => m.licence === 'confirmed').map((m) => m.code);
    const submissionId = randomUUID();
    const ids: string[] = [];
    const receipts: string[] = [];
    // One receipt access code per application, hashed before the transaction (scrypt takes a while);
    // the plain codes stay in this session only, for its receipts (case-access.ts).
    const issued = plan.items.map((item) => ({ item, ...deps.access.issue() }));
    const codes = new Map<string, string>();
    const calendar = deps.calendar();
    const bundle = input.target.kind === 'bundle' ? { code: input.target.code, submissionId } : null;
    try {
      db.transaction(() => {
        applications.insertSubmission({
          id: submissionId,
          key: input.idempotencyKey,
          targetKind: input.target.kind,
          targetCode: input.target.code,
          at,
        });
        for (const { item, code, hash } of issued) {
          const id = randomUUID();
          codes.set(id, code);
          const receiptNo = nextReceiptNo(now);
          ids.push(id);
          receipts.push(receiptNo);
          const promised =
            item.caseType === 'immediate'
              ? localDate(now, config.timeZone)
              : promisedDate(now, item.promisedDays, config.timeZone, calendar);
          const itemFields = plan.fields.filter((f) => f.items.includes(item.code));
          const itemValues = Object.fromEntries(itemFields.map((f) => [f.key, values[f.key] ?? '']));
          const itemLicences = licences.filter((code) =>
            plan.materials.find((m) => m.code === code)?.items.includes(item.code),
          );
          applications.insert({
            id,
            receiptNo,
            itemCode: item.code,
            bundleCode: bundle?.code ?? null,
            submissionId,
            jurisdiction: config.jurisdiction,
            applicantName: applicant.name,
            applicantId: applicant.idNumber,
            applicantMasked: applicant.masked.nameMasked,
            helperName: held.helper?.name ?? null,
            helperId: held.helper?.idNumber ?? null,
            form: JSON.stringify({ values: itemValues, licences: itemLicences }),
            delivery: JSON.stringify(delivery),
            at,
            promisedDate: promised,
            idHash: idNumberHash(config.idSalt, applicant.idNumber),
            caseType: item.caseType,
            accessCodeHash: hash,
          });
          applications.addHistory({
            applicationId: id,
            status: 'submitted',
            at,
            source: 'kiosk',
            note: null,
            detail: null,
          });
          const attached: Attachment[] = [];
          for (const m of plan.materials.filter((pm) => pm.items.includes(item.code))) {
            (held.pages.get(m.code) ?? []).forEach((p, position) => {
              attachments.attach({
                applicationId: id,
                materialCode: m.code,
                position,
                supplementId: null,
                file: p,
              });
              attached.push({ materialCode: m.code, sha256: p.sha256, size: p.size, position, mime: p.mime });
            });
          }
          outbox.add(
            {
              kind: 'application',
              payload: {
                id,
                receiptNo,
                itemCode: item.code,
                caseType: item.caseType,
                jurisdiction: config.jurisdiction,
                submittedAt: at,
                promisedDays: item.caseType === 'immediate' ? 0 : item.promisedDays,
                promisedDate: promised,
                bundle,
                applicant: {
                  name: applicant.name,
                  idNumber: applicant.idNumber,
                  cardType: applicant.masked.cardType,
                },
                helper: held.helper ? { name: held.helper.name, idNumber: held.helper.idNumber } : null,
                form: itemValues,
                delivery,
                licences: itemLicences,
                integrityAcknowledgedAt: at,
                attachments: attached,
              },
            },
            at,
          );
        }
        // In the same transaction: the audit trail never lacks a submission, and one fsync suffices.
        audit.record(
          'submit',
          submissionId,
          {
            receipts,
            items: plan.items.map((i) => i.code),
            applicantName: applicant.name,
            assisted: held.helper !== null,
          },
          at,
        );
      }).immediate();
    } catch (e) {
      logger.error({ err: e }, 'submission could not be stored');
      if (isStorageFull(e)) return storageFull();
      return err({ kind: 'storage', message: e instanceof Error ? e.message : String(e) });
    }
    deps.sessions.releasePages(
      input.sessionId,
      plan.materials.map((m) => m.code),
    );
    deps.sessions.forgetPlan(input.sessionId, input.target);
    for (const [id, code] of codes) deps.sessions.grant(input.sessionId, id, code);
    deps.onOutbox?.();
    deps.onSubmitted?.(ids);
    return ok({ submissionId, reused: false, applications: progress.ofSubmission(submissionId) });
  };
}
