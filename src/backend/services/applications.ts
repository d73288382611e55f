/**
 * 我要办事 on the backend (issue 4, flows 1–3, 5): the apply plan of an item or a 一件事 bundle, the
 * durable submission, the receipt (收件材料接收凭证), the archived application form (PDF),
 * progress (进度查询) and 补正 supplements.
 *
 * Durability (DESIGN.md, "Durability rules"): scanned pages are already fsynced content-addressed
 * files when a submission starts; the application rows, their attachments, status history and one
 * outbox entry per application are written in ONE transaction; only then is the resident told it
 * is submitted. The idempotency key makes a retried submit (a double tap, a lost answer) return the
 * same applications — never a second set. Printing happens after the commit: a printer fault never
 * loses an application, and the receipt can be reprinted from 进度查询.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { printer as printers, scanner as scanners, type DeviceManager } from '../../devices/index.js';
import {
  EMS_FIELDS,
  progressQrPayload,
  validateDelivery,
  validateForm,
  type ApplicationDetail,
  type ApplicationSummary,
  type ApplyPlan,
  type ApplyTarget,
  type CaseStatus,
  type Delivery,
  type FieldError,
  type FormValues,
  type Localized,
  type PlanField,
  type PlanMaterial,
  type PrintState,
  type ServiceItem,
} from '../../shared/index.js';
import { promisedDate as computePromisedDate, type HolidayCalendar } from '../../shared/working-days.js';
import {
  encodeEntry,
  type ApplicationEntry,
  type Attachment,
  type SupplementEntry,
} from '../../shared/wire/index.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';
import { createPdfWorker, type PdfWorker } from './pdf-worker.js';
import type { CatalogService } from './catalog.js';
import { idNumberHash, type HeldIdentity, type SessionService } from './session.js';
import { maskAddress } from '../../shared/mask.js';

export type Lang = 'zh' | 'en';

export type SubmitError =
  | { kind: 'no-session' }
  | { kind: 'no-identity' }
  | { kind: 'unknown-target' }
  | { kind: 'invalid-form'; errors: FieldError[] }
  | { kind: 'invalid-delivery'; errors: FieldError[] }
  | { kind: 'delivery-not-offered'; method: Delivery['method'] }
  | { kind: 'missing-materials'; materials: string[] }
  | { kind: 'integrity-not-acknowledged' }
  | { kind: 'storage'; message: string };

export type SubmitResult =
  | { ok: true; submissionId: string; reused: boolean; applications: ApplicationSummary[] }
  | { ok: false; error: SubmitError };

export type SupplementError =
  | { kind: 'no-session' }
  | { kind: 'not-found' }
  | { kind: 'no-correction' }
  | { kind: 'missing-materials'; materials: string[] }
  | { kind: 'storage'; message: string };

/** Shared electronic licences the hall holds for this person, or null when it cannot be asked now. */
export type LicenceLookup = (
  idNumber: string,
  materialCodes: readonly string[],
) => Promise<ReadonlySet<string> | null>;

export type ApplicationsConfig = {
  kioskCode: string;
  jurisdiction: string;
  hallName: Localized;
  hallPhone: string;
  timeZone: string;
  progressUrl: string;
  idSalt: string;
};

type AppRow = {
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
};

/** Today's date in the hall's zone, as YYYYMMDD for receipt numbers. */
function compactDate(now: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}${p.month}${p.day}`;
}

function localDate(now: Date, timeZone: string): string {
  const d = compactDate(now, timeZone);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

/** An item's plan, or a bundle's merged one: fields by key, materials de-duplicated by code. */
export function buildPlan(
  target: ApplyTarget,
  name: Localized,
  items: readonly ServiceItem[],
  licences: ReadonlySet<string> | null,
): ApplyPlan {
  const fields = new Map<string, PlanField>();
  const materials = new Map<string, PlanMaterial>();
  for (const item of items) {
    for (const f of item.form) {
      const had = fields.get(f.key);
      if (had)
        fields.set(f.key, { ...had, required: had.required || f.required, items: [...had.items, item.code] });
      else fields.set(f.key, { ...f, items: [item.code] });
    }
    for (const m of item.materials) {
      const had = materials.get(m.code);
      if (had) {
        materials.set(m.code, {
          ...had,
          required: had.required || m.required,
          items: [...had.items, item.code],
          originals: Math.max(had.originals, m.originals),
          copies: Math.max(had.copies, m.copies),
        });
      } else {
        materials.set(m.code, {
          code: m.code,
          name: m.name,
          requirements: m.requirements,
          required: m.required,
          licence:
            m.source === 'shared-licence'
              ? licences?.has(m.code)
                ? 'confirmed'
                : 'unconfirmed'
              : 'not-applicable',
          originals: m.originals,
          copies: m.copies,
          items: [item.code],
        });
      }
    }
  }
  const ems = items.every((i) => i.delivery.ems);
  const pickup = items.every((i) => i.delivery.pickup);
  const first = items[0];
  if (!first) throw new Error('a plan needs at least one item');
  return {
    target,
    name,
    window: first.window,
    items: items.map((i) => ({
      code: i.code,
      name: i.name,
      caseType: i.caseType,
      legalDays: i.legalDays,
      promisedDays: i.promisedDays,
    })),
    fields: [...fields.values()],
    materials: [...materials.values()],
    // A hall can always hand a result over at its window, even when the items disagree on EMS.
    delivery: { ems, pickup: pickup || !ems },
    immediate: items.every((i) => i.caseType === 'immediate'),
  };
}

/**
 * The application form as a PDF in <dataDir>/archive (written to a temp file, fsynced, renamed):
 * for the hall's electronic archive and a technician's reprint (`cli application pdf`).
 */
export function createArchiver(deps: {
  db: Db;
  catalog: CatalogService;
  config: Pick<ApplicationsConfig, 'hallName' | 'timeZone' | 'progressUrl' | 'kioskCode'>;
  dataDir: string;
  pdf?: PdfWorker;
}) {
  const { db, catalog, config } = deps;
  const pdfWorker = deps.pdf ?? createPdfWorker();
  const blobs = scanners.createBlobStore({ root: join(deps.dataDir, 'blobs') });
  const archiveDir = join(deps.dataDir, 'archive');
  const q = {
    byId: db.prepare('SELECT * FROM applications WHERE id = ?'),
    attachmentsOf: db.prepare(
      'SELECT material_code, sha256, position FROM application_attachments WHERE application_id = ? ORDER BY material_code, position',
    ),
    setArchive: db.prepare('UPDATE applications SET archive_file = ? WHERE id = ?'),
  };
  function attachmentsByMaterial(id: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const a of q.attachmentsOf.all(id) as { material_code: string; sha256: string }[]) {
      out.set(a.material_code, [...(out.get(a.material_code) ?? []), a.sha256]);
    }
    return out;
  }
  async function archive(id: string): Promise<string | null> {
    const r = q.byId.get(id) as AppRow | undefined;
    if (!r || r.applicant_name === null || r.applicant_id_number === null) return null;
    const item = catalog.item(r.item_code);
    const form = r.form
      ? (JSON.parse(r.form) as { values: FormValues; licences?: string[] })
      : { values: {} };
    const delivery = r.delivery ? (JSON.parse(r.delivery) as Delivery) : { method: 'pickup' as const };
    const byMaterial = attachmentsByMaterial(id);
    const materials = [];
    for (const m of item?.materials ?? []) {
      const shas = byMaterial.get(m.code) ?? [];
      const pages = [];
      for (const sha of shas) {
        const data = await blobs.read(sha);
        if (!data.ok) continue;
        const meta = await import('sharp').then((s) => s.default(data.value).metadata());
        pages.push({ jpeg: data.value, width: meta.width ?? 1, height: meta.height ?? 1, sha256: sha });
      }
      const kind =
        pages.length > 0
          ? ('scanned' as const)
          : form.licences?.includes(m.code)
            ? ('e-licence' as const)
            : ('missing' as const);
      materials.push({ name: m.name.zh, kind, pages });
    }
    const pdf = await pdfWorker.render({
      lang: 'zh',
      hallName: config.hallName.zh,
      receiptNo: r.receipt_no,
      itemName: item?.name.zh ?? r.item_code,
      itemCode: r.item_code,
      department: item?.department.zh ?? '',
      caseType: r.case_type,
      submittedAt: new Date(r.submitted_at),
      promisedDate: r.promised_date,
      timeZone: config.timeZone,
      applicant: { name: r.applicant_name, idNumber: r.applicant_id_number },
      helper:
        r.helper_name && r.helper_id_number ? { name: r.helper_name, idNumber: r.helper_id_number } : null,
      form: (item?.form ?? []).map((f) => ({
        label: f.label.zh,
        value:
          f.type === 'select'
            ? (f.options?.find((o) => o.value === form.values[f.key])?.label.zh ?? form.values[f.key] ?? '')
            : (form.values[f.key] ?? ''),
      })),
      delivery,
      materials,
      integrityAcknowledgedAt: new Date(r.integrity_ack_at ?? r.submitted_at),
      progressUrl: progressQrPayload(config.progressUrl, r.receipt_no),
      kioskName: config.kioskCode,
    });
    await mkdir(archiveDir, { recursive: true });
    const file = join(archiveDir, `${r.receipt_no}.pdf`);
    const tmp = `${file}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(pdf);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    q.setArchive.run(file, id);
    return file;
  }

  return { archive, close: () => pdfWorker.close() };
}

export function createApplicationsService(deps: {
  db: Db;
  catalog: CatalogService;
  sessions: SessionService;
  devices: DeviceManager;
  logger: Logger;
  clock: () => Date;
  config: ApplicationsConfig;
  calendar: () => HolidayCalendar;
  dataDir: string;
  licences?: LicenceLookup;
  onOutbox?: () => void;
}) {
  const { db, catalog, clock, logger, config } = deps;
  const blobs = scanners.createBlobStore({ root: join(deps.dataDir, 'blobs') });
  const pendingArchives = new Set<Promise<void>>();

  const q = {
    submissionByKey: db.prepare('SELECT id FROM submissions WHERE idempotency_key = ?').pluck(),
    insSubmission: db.prepare(
      'INSERT INTO submissions (id, idempotency_key, target_kind, target_code, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    lastReceipt: db
      .prepare('SELECT receipt_no FROM applications WHERE receipt_no LIKE ? ORDER BY receipt_no DESC LIMIT 1')
      .pluck(),
    insApp: db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, bundle_code, bundle_submission_id, jurisdiction, applicant_name,
         applicant_id_number, applicant_masked, helper_name, helper_id_number, form, delivery, status, submitted_at,
         promised_date, updated_at, applicant_id_hash, case_type, integrity_ack_at, print_state)
       VALUES (@id, @receiptNo, @itemCode, @bundleCode, @submissionId, @jurisdiction, @applicantName, @applicantId,
         @applicantMasked, @helperName, @helperId, @form, @delivery, 'submitted', @at, @promisedDate, @at, @idHash,
         @caseType, @at, 'pending')`,
    ),
    insHistory: db.prepare(
      "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, ?, ?, 'kiosk', ?, ?)",
    ),
    insAttachment: db.prepare(
      'INSERT OR IGNORE INTO attachments (sha256, size, mime, pages, captured_at, device) VALUES (?, ?, ?, 1, ?, ?)',
    ),
    insAppAttachment: db.prepare(
      'INSERT INTO application_attachments (application_id, material_code, sha256, position, supplement_id) VALUES (?, ?, ?, ?, ?)',
    ),
    maxPosition: db
      .prepare(
        'SELECT coalesce(max(position), -1) FROM application_attachments WHERE application_id = ? AND material_code = ?',
      )
      .pluck(),
    insOutbox: db.prepare('INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?)'),
    bySubmission: db.prepare('SELECT * FROM applications WHERE bundle_submission_id = ? ORDER BY receipt_no'),
    byId: db.prepare('SELECT * FROM applications WHERE id = ?'),
    byReceipt: db.prepare('SELECT * FROM applications WHERE receipt_no = ?'),
    byHash: db.prepare(
      'SELECT * FROM applications WHERE applicant_id_hash = ? ORDER BY submitted_at DESC LIMIT 50',
    ),
    setPrint: db.prepare('UPDATE applications SET print_state = ?, print_detail = ? WHERE id = ?'),
    setArchive: db.prepare('UPDATE applications SET archive_file = ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE applications SET status = ?, updated_at = ? WHERE id = ?'),
    history: db.prepare(
      'SELECT status, at, source, note, detail FROM application_status_history WHERE application_id = ? ORDER BY id',
    ),
    attachmentsOf: db.prepare(
      'SELECT material_code, sha256, position FROM application_attachments WHERE application_id = ? AND supplement_id IS NULL ORDER BY material_code, position',
    ),
    evaluated: db
      .prepare("SELECT 1 FROM evaluations WHERE target_kind = 'application' AND target_id = ? LIMIT 1")
      .pluck(),
    supplementByKey: db.prepare('SELECT application_id FROM supplements WHERE idempotency_key = ?').pluck(),
    insSupplement: db.prepare(
      'INSERT INTO supplements (id, application_id, idempotency_key, submitted_at) VALUES (?, ?, ?, ?)',
    ),
    lastSync: db.prepare("SELECT value FROM kiosk_config WHERE key = 'sync.state'").pluck(),
    audit: db.prepare(
      "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'resident', ?, ?, ?)",
    ),
  };

  const record = (action: string, subject: string | null, detail?: unknown) =>
    q.audit.run(clock().toISOString(), action, subject, detail === undefined ? null : JSON.stringify(detail));

  function targetItems(target: ApplyTarget): { name: Localized; items: ServiceItem[] } | null {
    if (target.kind === 'item') {
      const item = catalog.item(target.code);
      return item ? { name: item.name, items: [item] } : null;
    }
    const b = catalog.bundle(target.code);
    return b ? { name: b.bundle.name, items: b.items } : null;
  }

  async function planFor(target: ApplyTarget, applicant: HeldIdentity | null): Promise<ApplyPlan | null> {
    const found = targetItems(target);
    if (!found) return null;
    const licenceCodes = found.items.flatMap((i) =>
      i.materials.filter((m) => m.source === 'shared-licence').map((m) => m.code),
    );
    let licences: ReadonlySet<string> | null = null;
    if (applicant && licenceCodes.length > 0 && deps.licences) {
      licences = await deps.licences(applicant.idNumber, licenceCodes).catch((e: unknown) => {
        logger.warn({ err: e }, 'shared licence lookup failed; asking for the materials instead');
        return null;
      });
    }
    return buildPlan(target, found.name, found.items, licences);
  }

  function itemName(code: string): Localized {
    return catalog.item(code)?.name ?? { zh: code, en: code };
  }

  function summary(r: AppRow): ApplicationSummary {
    const delivery = r.delivery ? (JSON.parse(r.delivery) as Delivery) : null;
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
      deliveryMethod: delivery?.method ?? null,
      printState: r.print_state,
      printDetail: r.print_detail,
      bundleSubmissionId: r.bundle_submission_id,
    };
  }

  function detail(r: AppRow): ApplicationDetail {
    const history = q.history.all(r.id) as {
      status: CaseStatus;
      at: string;
      source: 'kiosk' | 'hall';
      note: string | null;
      detail: string | null;
    }[];
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
    const syncState = q.lastSync.get() as string | undefined;
    const lastSyncAt = syncState
      ? ((JSON.parse(syncState) as { lastSuccessAt?: string | null }).lastSuccessAt ?? null)
      : null;
    return {
      ...summary(r),
      history: history.map(({ status, at, source, note }) => ({ status, at, source, note })),
      correction,
      lastSyncAt,
      hallAcknowledged: r.hall_acknowledged_at !== null,
      evaluated: q.evaluated.get(r.id) !== undefined,
    };
  }

  function nextReceiptNo(now: Date): string {
    const prefix = `${config.kioskCode}-${compactDate(now, config.timeZone)}-`;
    const last = q.lastReceipt.get(`${prefix}%`) as string | undefined;
    const n = last ? Number(last.slice(prefix.length)) + 1 : 1;
    return `${prefix}${String(n).padStart(4, '0')}`;
  }

  /** The receipt for one application, printed on the receipt printer. */
  async function printReceipt(id: string, lang: Lang): Promise<{ state: PrintState; detail: string | null }> {
    const r = q.byId.get(id) as AppRow | undefined;
    if (!r) return { state: 'failed', detail: 'no such application' };
    const printer = deps.devices.receiptPrinter();
    if (!printer) {
      q.setPrint.run('no-printer', null, id);
      return { state: 'no-printer', detail: null };
    }
    const delivery = r.delivery ? (JSON.parse(r.delivery) as Delivery) : { method: 'pickup' as const };
    const materials = attachmentsByMaterial(r.id);
    const item = catalog.item(r.item_code);
    const form = r.form ? (JSON.parse(r.form) as { licences?: string[] }) : {};
    const doc = printers.applicationReceipt({
      lang,
      hallName: config.hallName[lang],
      receiptNo: r.receipt_no,
      itemName: itemName(r.item_code)[lang],
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
      progressQr: progressQrPayload(config.progressUrl, r.receipt_no),
      timeZone: config.timeZone,
    });
    const outcome = await printer.print(doc);
    const [state, text] =
      outcome.kind === 'printed'
        ? (['printed', null] as const)
        : (['failed', printers.printOutcomeText(outcome, lang)] as const);
    q.setPrint.run(state, text, id);
    record(state === 'printed' ? 'receipt-printed' : 'receipt-print-failed', r.receipt_no, {
      outcome: outcome.kind,
    });
    return { state, detail: text };
  }

  function attachmentsByMaterial(id: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const a of q.attachmentsOf.all(id) as { material_code: string; sha256: string }[]) {
      out.set(a.material_code, [...(out.get(a.material_code) ?? []), a.sha256]);
    }
    return out;
  }

  const archiver = createArchiver({ db, catalog, config, dataDir: deps.dataDir });
  const { archive } = archiver;

  /**
   * One archive at a time, in submission order: a render holds the parsed CJK font and the pages,
   * so renders running side by side (a busy hour on a slow machine) would each hold their own and
   * memory would grow with the backlog. Queued ids cost nothing.
   */
  let archiveChain: Promise<void> = Promise.resolve();
  function archiveInBackground(ids: readonly string[]): void {
    for (const id of ids) {
      const p = archiveChain.then(() =>
        archive(id).then(
          () => undefined,
          (e: unknown) => logger.error({ err: e, application: id }, 'application form archive failed'),
        ),
      );
      archiveChain = p;
      pendingArchives.add(p);
      void p.finally(() => pendingArchives.delete(p));
    }
  }

  return {
    async plan(
      sessionId: string,
      target: ApplyTarget,
    ): Promise<{ ok: true; plan: ApplyPlan } | { ok: false; error: 'no-session' | 'unknown-target' }> {
      const held = deps.sessions.held(sessionId);
      if (!held) return { ok: false, error: 'no-session' };
      const plan = await planFor(target, held.applicant);
      return plan ? { ok: true, plan } : { ok: false, error: 'unknown-target' };
    },

    async submit(input: {
      sessionId: string;
      target: ApplyTarget;
      form: FormValues;
      delivery: Delivery;
      integrityAcknowledged: boolean;
      idempotencyKey: string;
      lang: Lang;
    }): Promise<SubmitResult> {
      const existing = q.submissionByKey.get(input.idempotencyKey) as string | undefined;
      if (existing) {
        const apps = (q.bySubmission.all(existing) as AppRow[]).map(summary);
        return { ok: true, submissionId: existing, reused: true, applications: apps };
      }
      const held = deps.sessions.held(input.sessionId);
      if (!held) return { ok: false, error: { kind: 'no-session' } };
      const applicant = held.applicant;
      if (!applicant || (held.mode === 'assisted' && !held.helper))
        return { ok: false, error: { kind: 'no-identity' } };
      if (!input.integrityAcknowledged) return { ok: false, error: { kind: 'integrity-not-acknowledged' } };
      const plan = await planFor(input.target, applicant);
      if (!plan) return { ok: false, error: { kind: 'unknown-target' } };

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
      if (formErrors.length > 0) return { ok: false, error: { kind: 'invalid-form', errors: formErrors } };
      if (!plan.delivery[input.delivery.method])
        return { ok: false, error: { kind: 'delivery-not-offered', method: input.delivery.method } };
      const delivery: Delivery =
        input.delivery.method === 'ems'
          ? ({
              method: 'ems',
              ...Object.fromEntries(
                EMS_FIELDS.map((f) => [
                  f.key,
                  input.delivery.method === 'ems' ? input.delivery[f.key].trim() : '',
                ]),
              ),
            } as Delivery)
          : { method: 'pickup' };
      const deliveryErrors = validateDelivery(delivery);
      if (deliveryErrors.length > 0)
        return { ok: false, error: { kind: 'invalid-delivery', errors: deliveryErrors } };
      const missing = plan.materials
        .filter((m) => m.required && m.licence !== 'confirmed' && (held.pages.get(m.code)?.length ?? 0) === 0)
        .map((m) => m.code);
      if (missing.length > 0) return { ok: false, error: { kind: 'missing-materials', materials: missing } };

      // Every page file must be on disk (fsynced by the blob store) before the rows point at it.
      for (const pages of held.pages.values()) {
        for (const p of pages) {
          if (!(await blobs.has(p.sha256)))
            return {
              ok: false,
              error: { kind: 'storage', message: `scanned page ${p.sha256.slice(0, 12)} is missing` },
            };
        }
      }

      const now = clock();
      const at = now.toISOString();
      const licences = plan.materials.filter((m) => m.licence === 'confirmed').map((m) => m.code);
      const submissionId = randomUUID();
      const ids: string[] = [];
      const calendar = deps.calendar();
      try {
        db.transaction(() => {
          q.insSubmission.run(submissionId, input.idempotencyKey, input.target.kind, input.target.code, at);
          for (const item of plan.items) {
            const id = randomUUID();
            ids.push(id);
            const receiptNo = nextReceiptNo(now);
            const promised =
              item.caseType === 'immediate'
                ? localDate(now, config.timeZone)
                : computePromisedDate(now, item.promisedDays, config.timeZone, calendar);
            const itemFields = plan.fields.filter((f) => f.items.includes(item.code));
            const itemValues = Object.fromEntries(itemFields.map((f) => [f.key, values[f.key] ?? '']));
            const itemLicences = licences.filter((code) =>
              plan.materials.find((m) => m.code === code)?.items.includes(item.code),
            );
            q.insApp.run({
              id,
              receiptNo,
              itemCode: item.code,
              bundleCode: input.target.kind === 'bundle' ? input.target.code : null,
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
            });
            q.insHistory.run(id, 'submitted', at, null, null);
            const attachments: Attachment[] = [];
            for (const m of plan.materials.filter((pm) => pm.items.includes(item.code))) {
              (held.pages.get(m.code) ?? []).forEach((p, position) => {
                q.insAttachment.run(p.sha256, p.size, p.mime, p.capturedAt, p.device);
                q.insAppAttachment.run(id, m.code, p.sha256, position, null);
                attachments.push({
                  materialCode: m.code,
                  sha256: p.sha256,
                  size: p.size,
                  position,
                  mime: p.mime,
                });
              });
            }
            const entry: ApplicationEntry = {
              id,
              receiptNo,
              itemCode: item.code,
              caseType: item.caseType,
              jurisdiction: config.jurisdiction,
              submittedAt: at,
              promisedDays: item.caseType === 'immediate' ? 0 : item.promisedDays,
              promisedDate: promised,
              bundle: input.target.kind === 'bundle' ? { code: input.target.code, submissionId } : null,
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
              attachments,
            };
            q.insOutbox.run('application', id, encodeEntry('application', entry), at);
          }
        }).immediate();
      } catch (e) {
        logger.error({ err: e }, 'submission could not be stored');
        return { ok: false, error: { kind: 'storage', message: e instanceof Error ? e.message : String(e) } };
      }
      deps.sessions.releasePages(
        input.sessionId,
        plan.materials.map((m) => m.code),
      );
      deps.onOutbox?.();
      const apps = (q.bySubmission.all(submissionId) as AppRow[]).map(summary);
      record('submit', submissionId, {
        receipts: apps.map((a) => a.receiptNo),
        items: plan.items.map((i) => i.code),
        applicant: applicant.masked.nameMasked,
        assisted: held.helper !== null,
      });
      archiveInBackground(ids);
      return { ok: true, submissionId, reused: false, applications: apps };
    },

    /** Prints (or reprints) every receipt of a submission; returns the applications with their print state. */
    async printSubmission(submissionId: string, lang: Lang): Promise<ApplicationSummary[]> {
      for (const r of q.bySubmission.all(submissionId) as AppRow[]) {
        if (r.print_state !== 'printed') await printReceipt(r.id, lang);
      }
      return (q.bySubmission.all(submissionId) as AppRow[]).map(summary);
    },

    async reprint(id: string, lang: Lang): Promise<ApplicationSummary | null> {
      const r = q.byId.get(id) as AppRow | undefined;
      if (!r) return null;
      record('receipt-reprint', r.receipt_no);
      await printReceipt(id, lang);
      return summary(q.byId.get(id) as AppRow);
    },

    byReceipt(receiptNo: string): ApplicationDetail | null {
      const r = q.byReceipt.get(receiptNo.trim().toUpperCase()) as AppRow | undefined;
      return r ? detail(r) : null;
    },

    detail(id: string): ApplicationDetail | null {
      const r = q.byId.get(id) as AppRow | undefined;
      return r ? detail(r) : null;
    },

    /** The session applicant's applications (by the salted hash of the card's ID number). */
    forSession(sessionId: string): ApplicationSummary[] | null {
      const held = deps.sessions.held(sessionId);
      if (!held?.applicant) return null;
      return (q.byHash.all(idNumberHash(config.idSalt, held.applicant.idNumber)) as AppRow[]).map(summary);
    },

    /** 补正: the pages captured in the session for the requested materials, added to the application. */
    supplement(input: {
      sessionId: string;
      applicationId: string;
      idempotencyKey: string;
    }):
      { ok: true; application: ApplicationDetail; reused: boolean } | { ok: false; error: SupplementError } {
      const done = q.supplementByKey.get(input.idempotencyKey) as string | undefined;
      if (done) return { ok: true, application: detail(q.byId.get(done) as AppRow), reused: true };
      const held = deps.sessions.held(input.sessionId);
      if (!held) return { ok: false, error: { kind: 'no-session' } };
      const r = q.byId.get(input.applicationId) as AppRow | undefined;
      if (!r) return { ok: false, error: { kind: 'not-found' } };
      const current = detail(r).correction;
      if (!current) return { ok: false, error: { kind: 'no-correction' } };
      const missing = current.materials
        .filter((m) => (held.pages.get(m.code)?.length ?? 0) === 0)
        .map((m) => m.code);
      if (missing.length > 0) return { ok: false, error: { kind: 'missing-materials', materials: missing } };
      const at = clock().toISOString();
      const supplementId = randomUUID();
      try {
        db.transaction(() => {
          q.insSupplement.run(supplementId, r.id, input.idempotencyKey, at);
          const attachments: Attachment[] = [];
          for (const m of current.materials) {
            let position = (q.maxPosition.get(r.id, m.code) as number) + 1;
            for (const p of held.pages.get(m.code) ?? []) {
              q.insAttachment.run(p.sha256, p.size, p.mime, p.capturedAt, p.device);
              q.insAppAttachment.run(r.id, m.code, p.sha256, position, supplementId);
              attachments.push({
                materialCode: m.code,
                sha256: p.sha256,
                size: p.size,
                position,
                mime: p.mime,
              });
              position++;
            }
          }
          q.setStatus.run('supplement-submitted', at, r.id);
          q.insHistory.run(
            r.id,
            'supplement-submitted',
            at,
            null,
            JSON.stringify({ materials: current.materials.map((m) => m.code) }),
          );
          const entry: SupplementEntry = {
            id: supplementId,
            applicationId: r.id,
            receiptNo: r.receipt_no,
            submittedAt: at,
            attachments,
          };
          q.insOutbox.run('supplement', supplementId, encodeEntry('supplement', entry), at);
        }).immediate();
      } catch (e) {
        return { ok: false, error: { kind: 'storage', message: e instanceof Error ? e.message : String(e) } };
      }
      deps.sessions.releasePages(
        input.sessionId,
        current.materials.map((m) => m.code),
      );
      deps.onOutbox?.();
      record('supplement', r.receipt_no, { materials: current.materials.map((m) => m.code) });
      return { ok: true, application: detail(q.byId.get(r.id) as AppRow), reused: false };
    },

    /** 即办件: the decision slip, after the hall decided while the resident waited. */
    async printDecision(id: string, lang: Lang): Promise<PrintState> {
      const r = q.byId.get(id) as AppRow | undefined;
      const printer = deps.devices.receiptPrinter();
      if (!r || (r.status !== 'completed' && r.status !== 'refused')) return 'failed';
      if (!printer) return 'no-printer';
      const last = (q.history.all(id) as { status: string; at: string; note: string | null }[])
        .filter((h) => h.status === r.status)
        .pop();
      const outcome = await printer.print(
        printers.decisionSlip({
          lang,
          hallName: config.hallName[lang],
          receiptNo: r.receipt_no,
          itemName: itemName(r.item_code)[lang],
          applicantMasked: r.applicant_masked,
          decision: r.status === 'completed' ? 'completed' : 'refused',
          note: last?.note ?? null,
          decidedAt: new Date(last?.at ?? clock().toISOString()),
          progressQr: progressQrPayload(config.progressUrl, r.receipt_no),
          timeZone: config.timeZone,
        }),
      );
      record(outcome.kind === 'printed' ? 'decision-printed' : 'decision-print-failed', r.receipt_no, {
        outcome: outcome.kind,
      });
      return outcome.kind === 'printed' ? 'printed' : 'failed';
    },

    /** Regenerates the archived form when it is missing (a technician's reprint). */
    async archiveFile(id: string): Promise<string | null> {
      const r = q.byId.get(id) as AppRow | undefined;
      if (!r) return null;
      return r.archive_file ?? (await archive(id));
    },

    async close(): Promise<void> {
      await Promise.all([...pendingArchives]);
      await archiver.close();
    },
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
